# Debian packages through CPack: `cpack -G DEB` in a build folder makes clubsafe-agent (the agent,
# the notice program, its autostart entry, the unit) and clubsafe-collector (the collector, the
# unit) with commented settings files in /etc/clubsafe as conffiles and the maintainer scripts
# of packaging/debian (a system user for the collector, enable and start, stop and restore on
# removal, state deleted on purge). No filter list data is shipped: lists come from the console.
install(TARGETS clubsafe-agent RUNTIME DESTINATION bin COMPONENT agent)
install(FILES packaging/systemd/clubsafe-agent.service DESTINATION lib/systemd/system COMPONENT agent)
install(FILES packaging/systemd/clubsafe-collector.service DESTINATION lib/systemd/system COMPONENT collector)
install(FILES packaging/config/agent.properties DESTINATION /etc/clubsafe COMPONENT agent)
install(FILES packaging/config/collector.properties DESTINATION /etc/clubsafe COMPONENT collector)
install(FILES README.md DESTINATION share/doc/clubsafe-agent COMPONENT agent)
install(FILES README.md DESTINATION share/doc/clubsafe-collector COMPONENT collector)

set(CPACK_PACKAGE_NAME clubsafe)
set(CPACK_PACKAGE_VENDOR "clubsafe")
set(CPACK_PACKAGE_CONTACT "clubsafe maintainers")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Online-safety filtering and monitoring for youth clubs")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_AGENT_PACKAGE_NAME clubsafe-agent)
set(CPACK_DEBIAN_COLLECTOR_PACKAGE_NAME clubsafe-collector)
set(CPACK_DEBIAN_AGENT_DESCRIPTION
    "clubsafe agent for a club laptop: DNS filter, recording and the notices people see")
set(CPACK_DEBIAN_COLLECTOR_DESCRIPTION
    "clubsafe collector for the club's server: the web console and the laptops' reports")
# The library packages dpkg-shlibdeps finds, and what the maintainer scripts run.
set(CPACK_DEBIAN_AGENT_PACKAGE_DEPENDS "systemd")
set(CPACK_DEBIAN_COLLECTOR_PACKAGE_DEPENDS "adduser, systemd")
foreach(component agent collector)
  string(TOUPPER ${component} upper)
  set(scripts "")
  foreach(script conffiles postinst prerm postrm)
    list(APPEND scripts ${PROJECT_SOURCE_DIR}/packaging/debian/${component}/${script})
  endforeach()
  set(CPACK_DEBIAN_${upper}_PACKAGE_CONTROL_EXTRA "${scripts}")
endforeach()
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_COMPONENTS_ALL agent collector)
include(CPack)
