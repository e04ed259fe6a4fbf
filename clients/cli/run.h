// The dyad CLI as a function: parses the arguments, opens a backend (daemon or index), runs the
// command and prints its answer. dyad_main.cc only gathers the environment; tests call RunDyad
// directly to play a terminal.
#ifndef DYAD_CLIENTS_CLI_RUN_H_
#define DYAD_CLIENTS_CLI_RUN_H_

#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

namespace dyad::cli {

inline constexpr char kDefaultServer[] = "127.0.0.1:7700";

// What dyad reads from its surroundings besides the arguments.
struct Environment {
  std::string server;       // $DYAD_SERVER; empty: kDefaultServer.
  std::string token;        // $DYAD_TOKEN.
  bool no_color = false;    // $NO_COLOR is set.
  bool terminal = false;    // Standard output is a terminal.
  std::size_t width = 100;  // Its columns.
};

// Runs `dyad ARGS...` and returns its exit status (spec.h: kExitOk...). Answers go to `out`,
// errors and hints to `err`.
int RunDyad(const std::vector<std::string>& args, const Environment& env, std::ostream& out,
            std::ostream& err);

}  // namespace dyad::cli

#endif  // DYAD_CLIENTS_CLI_RUN_H_
