# Fails when docs/protocol-reference.md is not what proto_doc writes from the current .proto files.
# Run by CTest as: cmake -DPROTO_DOC=... -DPROTO_ROOT=... -DDOC=... -DOUT=... -DFILES=a;b -P THIS
execute_process(COMMAND ${PROTO_DOC} ${PROTO_ROOT} ${OUT} ${FILES} RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "proto_doc failed (${result})")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${OUT} ${DOC} RESULT_VARIABLE differ)
if(NOT differ EQUAL 0)
  message(FATAL_ERROR "${DOC} is out of date with the .proto files: "
                      "run `cmake --build build --target protocol-reference` and commit it")
endif()
