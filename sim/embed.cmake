# Embed a text file as a C++ string: cmake -DIN=... -DOUT=... -P embed.cmake
file(READ "${IN}" CONTENT)
file(WRITE "${OUT}.tmp" "// Generated from ${IN} by sim/embed.cmake. Do not edit.\n"
  "namespace cmosim::sim {\nconst char *default_scenario_text() {\n    return R\"cmosim_yaml(${CONTENT})cmosim_yaml\";\n}\n} // namespace cmosim::sim\n")
file(RENAME "${OUT}.tmp" "${OUT}")
