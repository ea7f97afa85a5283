# Fails when any C++ file under sim/, tests/ or bench/ differs from .clang-format.
file(GLOB_RECURSE sources "${SOURCE_DIR}/sim/*.cpp" "${SOURCE_DIR}/sim/*.hpp"
     "${SOURCE_DIR}/tests/*.cpp" "${SOURCE_DIR}/tests/*.hpp" "${SOURCE_DIR}/bench/*.cpp")
execute_process(COMMAND "${CLANG_FORMAT}" --dry-run --Werror ${sources}
                RESULT_VARIABLE result ERROR_VARIABLE errors)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "clang-format: files need formatting (run clang-format -i on them):\n${errors}")
endif()
