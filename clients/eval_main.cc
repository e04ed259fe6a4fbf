// dyad-eval: bulk relevance evaluation. `score` computes trec_eval's measures for a run.
#include <iostream>
#include <string>
#include <vector>

#include "clients/eval/score_command.h"

namespace {

constexpr char kUsage[] = R"(Usage: dyad-eval COMMAND [ARGS]

Commands:
  score QRELS RUN [OPTIONS]   trec_eval-identical relevance measures for a TREC run
                              (dyad-eval score --help for options and measures)

Exit status: 0 success, 1 input error, 2 usage error.
)";

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    std::cerr << "dyad-eval: no command given\n\n" << kUsage;
    return dyad::eval::kExitUsage;
  }
  const std::string command = args[0];
  args.erase(args.begin());
  if (command == "--help" || command == "-h" || command == "help") {
    std::cout << kUsage;
    return dyad::eval::kExitOk;
  }
  if (command == "score") return dyad::eval::RunScoreCommand(args, std::cout, std::cerr);
  std::cerr << "dyad-eval: unknown command '" << command << "'\n\n" << kUsage;
  return dyad::eval::kExitUsage;
}
