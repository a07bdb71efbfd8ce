# Compiles every ```cpp block of README.md: each becomes the body of its own
# function (its #include lines go to the top of the file) after the declared
# context of tests/readme/context.hpp, with #line pointing back at the
# README. Warnings are errors, including a dropped [[nodiscard]] result; a
# block's own unused names are not.
#   cmake -DSOURCE_DIR=... -DWORK_DIR=... -DCXX=... -P run.cmake
file(READ ${SOURCE_DIR}/README.md readme)
# CMake lists: a ';' separates items and unbalanced brackets join them, so
# these three stand in for the characters until a line is written out.
string(REPLACE ";" "@SEMICOLON@" readme "${readme}")
string(REPLACE "[" "@LBRACKET@" readme "${readme}")
string(REPLACE "]" "@RBRACKET@" readme "${readme}")
string(REPLACE "\n" ";" lines "${readme}")

set(includes "")
set(functions "")
set(in_block OFF)
set(count 0)
set(line_no 0)
foreach(line IN LISTS lines)
  math(EXPR line_no "${line_no} + 1")
  if(NOT in_block)
    if(line MATCHES "^```cpp")
      set(in_block ON)
      math(EXPR count "${count} + 1")
      math(EXPR first "${line_no} + 1")
      set(body "#line ${first} \"README.md\"\n")
    endif()
  elseif(line MATCHES "^```")
    set(in_block OFF)
    string(APPEND functions "int block_${count}() {\n${body}return 0;\n}\n\n")
  elseif(line MATCHES "^#include")
    string(APPEND includes "${line}\n")
    string(APPEND body "\n") # keeps the line numbers
  else()
    string(APPEND body "${line}\n")
  endif()
endforeach()
if(count EQUAL 0 OR in_block)
  message(FATAL_ERROR "README.md: no C++ blocks, or one not closed")
endif()

foreach(text includes functions)
  string(REPLACE "@SEMICOLON@" ";" ${text} "${${text}}")
  string(REPLACE "@LBRACKET@" "[" ${text} "${${text}}")
  string(REPLACE "@RBRACKET@" "]" ${text} "${${text}}")
endforeach()
set(tu ${WORK_DIR}/readme_blocks.cpp)
file(WRITE ${tu} "${includes}\n#include \"context.hpp\"\n\nnamespace readme {\n\n${functions}} // namespace readme\n")
execute_process(COMMAND ${CXX} -std=c++17 -fsyntax-only -I${SOURCE_DIR}/include
    -I${SOURCE_DIR}/tests/readme -Wall -Wextra -Werror -Wno-unused-variable
    -Wno-unused-but-set-variable -Wno-unused-parameter ${tu}
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "README.md: a C++ block does not compile (${tu})")
endif()
message(STATUS "README.md: ${count} C++ blocks compile")
