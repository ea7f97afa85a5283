# Writes a C++ source that holds a text file verbatim, as a raw string.
# Called at build time: cmake -DINPUT=... -DOUTPUT=... -DSYMBOL=... -P embed_text.cmake
file(READ "${INPUT}" content)
string(FIND "${content}" ")orgsim_embed\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${INPUT} contains the raw-string delimiter )orgsim_embed\"")
endif()
file(WRITE "${OUTPUT}.tmp" "// Generated from ${INPUT}; do not edit.\n#include <string_view>\nnamespace orgsim {\nextern const std::string_view ${SYMBOL};\nconst std::string_view ${SYMBOL} = R\"orgsim_embed(${content})orgsim_embed\";\n}  // namespace orgsim\n")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
