# clubsafe_embed_files(TARGET NAMESPACE BASE_DIR FILES...)
# Compiles the given files into TARGET as a name -> bytes table, so a binary serves them with no
# files to install beside it. Names are paths relative to BASE_DIR; an entry "name=/absolute/path"
# embeds a file from elsewhere under `name`.
function(clubsafe_embed_files target namespace base_dir)
  set(generated "${CMAKE_CURRENT_BINARY_DIR}/${target}_embedded.cpp")
  set(inputs)
  foreach(entry IN LISTS ARGN)
    if(entry MATCHES "^[^=]+=(.+)$")
      list(APPEND inputs "${CMAKE_MATCH_1}")
    else()
      list(APPEND inputs "${base_dir}/${entry}")
    endif()
  endforeach()
  add_custom_command(
    OUTPUT "${generated}"
    COMMAND ${CMAKE_COMMAND} -DOUTPUT=${generated} -DNAMESPACE=${namespace}
            -DBASE_DIR=${base_dir} "-DFILES=${ARGN}"
            -P "${CMAKE_SOURCE_DIR}/cmake/GenerateEmbedded.cmake"
    DEPENDS ${inputs} "${CMAKE_SOURCE_DIR}/cmake/GenerateEmbedded.cmake"
    COMMENT "Embedding ${namespace} files"
    VERBATIM)
  target_sources(${target} PRIVATE "${generated}")
endfunction()
