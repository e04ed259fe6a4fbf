// dyad-eval: bulk relevance evaluation. `run` produces a TREC run from topics, `score` computes
// trec_eval's measures for a run, `compare` tests two runs against each other.
#include <iostream>
#include <string>
#include <vector>

#include "clients/eval/compare_command.h"
#include "clients/eval/run_command.h"
#include "clients/eval/score_command.h"
#include "core/version.h"

namespace {

constexpr char kUsage[] = R"(Usage: dyad-eval COMMAND [ARGS]

Commands:
  run --topics FILE (--index DIR | --server HOST:PORT) --out RUN
                              run every topic through Dyad and write a TREC run
  score QRELS RUN [OPTIONS]   trec_eval-identical relevance measures for a TREC run
  compare QRELS RUN_A RUN_B [OPTIONS]
                              per-topic differences, paired t-test and randomisation test
Each command takes --help for its options and examples, and --format json.
dyad-eval --version prints the version.

Exit status: 0 success, 1 input error (with file and line), 2 usage error.

Example (CISI, from the repository root):
  dyad-index build ../shared/corpora/cisi/CISI.ALL --index /tmp/cisi.idx
  dyad-eval run --topics ../shared/corpora/cisi/CISI.QRY --index /tmp/cisi.idx --out dyad.run
  dyad-eval score ../shared/corpora/cisi/CISI.REL dyad.run -m map -m P.10 -m ndcg_cut.10
  dyad-eval compare ../shared/corpora/cisi/CISI.REL other.run dyad.run
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
  if (command == "--version") {
    std::cout << "dyad-eval (Dyad) " << dyad::Version() << "\n";
    return dyad::eval::kExitOk;
  }
  if (command == "score") return dyad::eval::RunScoreCommand(args, std::cout, std::cerr);
  if (command == "run") return dyad::eval::RunRunCommand(args, std::cout, std::cerr);
  if (command == "compare") return dyad::eval::RunCompareCommand(args, std::cout, std::cerr);
  std::cerr << "dyad-eval: unknown command '" << command << "'\n\n" << kUsage;
  return dyad::eval::kExitUsage;
}
