# Embed a text file as a C++ string: cmake -DIN=... -DOUT=... [-DNAME=fn] -P embed.cmake
if(NOT NAME)
  set(NAME default_scenario_text)
endif()
file(READ "${IN}" CONTENT)
file(WRITE "${OUT}.tmp" "// Generated from ${IN} by sim/embed.cmake. Do not edit.\n"
  "namespace cmosim::sim {\nconst char *${NAME}() {\n    return R\"cmosim_yaml(${CONTENT})cmosim_yaml\";\n}\n} // namespace cmosim::sim\n")
file(RENAME "${OUT}.tmp" "${OUT}")
