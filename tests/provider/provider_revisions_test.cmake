# cmosim run with two --provider-src revisions: ours and the RFC's coalescing
# variant, on the under-flush scenario and its control. Each scenario passes
# with one revision and fails with the other; the table, comparison.json and
# the JUnit cases must say so.
#   cmake -DCMOSIM=<cmosim> -DSOURCE_DIR=<repo> -DWORK_DIR=<scratch> -P provider_revisions_test.cmake
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})
set(variants ${SOURCE_DIR}/tests/provider/variants)
set(ours ${SOURCE_DIR}/provider/drivers/cache/arm_smccc_cache.c)
set(theirs ${variants}/arm_smccc_cache_coalesce.c)
execute_process(
  COMMAND ${CMAKE_COMMAND} -E env CMOSIM_CACHE_DIR=${WORK_DIR}/cache
          ${CMOSIM} run ${variants}/coalesce-underflush.yaml ${variants}/coalesce-control.yaml
          --provider-src ${ours} --provider-src ${theirs}
          --report ${WORK_DIR}/reports --junit ${WORK_DIR}/junit.xml
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 1)
  message(FATAL_ERROR "exit ${rc}, expected 1 (one revision fails each scenario):\n${out}${err}")
endif()
# One row per scenario and revision, both scenarios marked as differing.
# Columns: scenario, revision, result, returns, SMCs, sleeps, latency, findings.
set(n "[0-9]+ +[0-9]+ +[0-9.]+")
foreach(row
    "coalesce-underflush \\* +arm_smccc_cache\\.c +FAIL +0 0 +${n} +0\n"
    "coalesce-underflush \\* +arm_smccc_cache_coalesce\\.c +PASS +0 0 +${n} +[1-9][0-9]*\n"
    "coalesce-control \\* +arm_smccc_cache\\.c +PASS +0 0 +${n} +0\n"
    "coalesce-control \\* +arm_smccc_cache_coalesce\\.c +FAIL +0 0 +${n} +[1-9][0-9]*\n"
    "2 of 2 scenarios differ between revisions")
  if(NOT out MATCHES "${row}")
    message(FATAL_ERROR "no table row matching '${row}' in:\n${out}")
  endif()
endforeach()
file(READ ${WORK_DIR}/reports/comparison.json cmp)
string(JSON nrows LENGTH "${cmp}" rows)
if(NOT nrows EQUAL 4)
  message(FATAL_ERROR "comparison.json: ${nrows} rows, expected 4:\n${cmp}")
endif()
foreach(i 0 1 2 3)
  string(JSON differs GET "${cmp}" rows ${i} differs)
  if(NOT differs)
    message(FATAL_ERROR "comparison.json: row ${i} does not differ:\n${cmp}")
  endif()
endforeach()
string(JSON findings0 GET "${cmp}" rows 0 findings)
string(JSON findings1 GET "${cmp}" rows 1 findings)
if(NOT findings0 EQUAL 0 OR findings1 EQUAL 0)
  message(FATAL_ERROR "comparison.json: findings ${findings0} (ours), ${findings1} (coalescing)")
endif()
foreach(f coalesce-underflush.arm_smccc_cache.c.json coalesce-underflush.arm_smccc_cache_coalesce.c.json)
  if(NOT EXISTS ${WORK_DIR}/reports/${f})
    message(FATAL_ERROR "no report ${f}")
  endif()
endforeach()
file(READ ${WORK_DIR}/junit.xml junit)
string(REGEX MATCHALL "<testcase " cases "${junit}")
list(LENGTH cases ncases)
if(NOT ncases EQUAL 4 OR NOT junit MATCHES "coalesce-control \\[arm_smccc_cache_coalesce\\.c\\]")
  message(FATAL_ERROR "junit.xml: ${ncases} cases, or a case name without its revision:\n${junit}")
endif()
