#include "agent/agent_application.hpp"

int main(int argc, char** argv) {
  clubsafe::agent::AgentApplication application;
  return application.run(argc, argv);
}
