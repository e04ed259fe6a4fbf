// dyad: the command-line client of Dyad (clients/cli/, docs/cli.md).
#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "clients/cli/run.h"

namespace {

std::string EnvOr(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : "";
}

}  // namespace

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  dyad::cli::Environment env;
  env.server = EnvOr("DYAD_SERVER");
  env.token = EnvOr("DYAD_TOKEN");
  env.no_color = std::getenv("NO_COLOR") != nullptr;
  env.terminal = isatty(STDOUT_FILENO) == 1;
  winsize size{};
  if (env.terminal && ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) {
    env.width = size.ws_col;
  }
  return dyad::cli::RunDyad(std::vector<std::string>(argv + 1, argv + argc), env, std::cout,
                            std::cerr);
}
