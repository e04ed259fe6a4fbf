// `dyad-eval score`: the command line over the evaluation library, kept out of main() so tests
// can drive it in-process as well as through the executable.
#ifndef DYAD_CLIENTS_EVAL_SCORE_COMMAND_H_
#define DYAD_CLIENTS_EVAL_SCORE_COMMAND_H_

#include <ostream>
#include <string>
#include <vector>

namespace dyad::eval {

inline constexpr int kExitOk = 0;
inline constexpr int kExitInputError = 1;
inline constexpr int kExitUsage = 2;

// The help text of `dyad-eval score`.
const char* ScoreUsage();

// Runs `dyad-eval score ARGS...` (args without "score"). Returns the exit status.
int RunScoreCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace dyad::eval

#endif  // DYAD_CLIENTS_EVAL_SCORE_COMMAND_H_
