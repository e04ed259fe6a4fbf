#include "clients/eval/measures.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace dyad::eval {
namespace {

// trec_eval's floor for geometric means (values are printed to four decimals) and infAP's
// smoothing constant.
constexpr double kMinGeoMean = 0.00001;
constexpr double kInfApEpsilon = 0.00001;

enum class ParamKind {
  kNone,
  kLongCutoffs,    // One value per cutoff: P_5, P_10 ...
  kDoubleCutoffs,  // One value per cutoff: iprec_at_recall_0.10 ...
  kDoubleParams,   // One value; parameters appended to its name: utility_2,-1,0,0
  kPairs,          // One value; rel_level=gain pairs appended to its name: ndcg_1=3,2=9
};

using ComputeFn = void (*)(const Measure&, const RankedTopic&, const EvalOptions&, double*,
                           std::string*);

}  // namespace

struct MeasureDef {
  const char* name;
  ParamKind param_kind;
  ValueType type;
  Summary summary;
  bool per_topic;  // Printed for each topic with -q.
  ComputeFn compute;
  std::vector<long> default_long_cutoffs;
  std::vector<double> default_doubles;
};

namespace {

// ---------------------------------------------------------------- helpers

bool Relevant(long rel, const EvalOptions& options) { return rel >= options.relevance_level; }

long RelLevelCount(const RankedTopic& t, long level) {
  return level >= 0 && level < static_cast<long>(t.rel_levels.size()) ? t.rel_levels[level] : 0;
}

// C's atol/atof: leading blanks, optional sign, as many digits as fit; 0 if none.
long CAtol(const std::string& text) { return std::strtol(text.c_str(), nullptr, 10); }
double CAtof(const std::string& text) { return std::strtod(text.c_str(), nullptr); }

std::vector<std::string> SplitOn(const std::string& text, char separator) {
  std::vector<std::string> pieces;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find(separator, start);
    pieces.push_back(
        text.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return pieces;
}

// Gains for the ndcg family: one per relevance level, from `rel=gain` parameters or the level
// itself, sorted by increasing gain.
struct RelGain {
  long level;
  double gain;
  long num_at_level;
};

bool ValidInt(const std::string& text) {
  std::size_t i = (!text.empty() && (text[0] == '-' || text[0] == '+')) ? 1 : 0;
  if (i == text.size()) return false;
  for (; i < text.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return false;
  }
  return true;
}

// trec_eval sorts gains with qsort and a comparator that truncates the gain difference to an int,
// so gains less than 1 apart compare equal. glibc's qsort is a merge sort; this is the same merge
// sort, so such ties come out in the same order.
int CompareGains(const RelGain& a, const RelGain& b) {
  const double difference = a.gain - b.gain;
  if (difference >= 2147483647.0) return 1;
  if (difference <= -2147483648.0) return -1;
  return static_cast<int>(difference);
}

void MergeSortGains(RelGain* items, std::size_t n, RelGain* scratch) {
  if (n <= 1) return;
  std::size_t n1 = n / 2;
  std::size_t n2 = n - n1;
  RelGain* b1 = items;
  RelGain* b2 = items + n1;
  MergeSortGains(b1, n1, scratch);
  MergeSortGains(b2, n2, scratch);
  RelGain* out = scratch;
  while (n1 > 0 && n2 > 0) {
    if (CompareGains(*b1, *b2) <= 0) {
      *out++ = *b1++;
      --n1;
    } else {
      *out++ = *b2++;
      --n2;
    }
  }
  while (n1 > 0) {
    *out++ = *b1++;
    --n1;
  }
  std::copy(scratch, out, items);  // The n2 left over are already in place.
}

std::vector<RelGain> SetupGains(const MeasureParams& params, const RankedTopic& t) {
  std::vector<RelGain> gains;
  for (const auto& [name, value] : params.pairs) {
    if (!ValidInt(name)) continue;
    gains.push_back({CAtol(name), value, 0});
  }
  for (long level = 0; level < t.num_rel_levels; ++level) {
    auto it = std::find_if(gains.begin(), gains.end(),
                           [level](const RelGain& g) { return g.level == level; });
    if (it != gains.end()) {
      it->num_at_level = RelLevelCount(t, level);
    } else {
      gains.push_back({level, static_cast<double>(level), RelLevelCount(t, level)});
    }
  }
  std::vector<RelGain> scratch(gains.size());
  MergeSortGains(gains.data(), gains.size(), scratch.data());
  return gains;
}

double GetGain(long rel, const std::vector<RelGain>& gains) {
  for (const RelGain& g : gains) {
    if (g.level == rel) return g.gain;
  }
  return 0.0;
}

// Walks the ideal ranking: the gain of the next document, highest gains first.
class IdealGains {
 public:
  explicit IdealGains(const std::vector<RelGain>& gains)
      : gains_(gains), level_(static_cast<long>(gains.size()) - 1) {
    gain_ = level_ >= 0 ? gains_[level_].gain : 0.0;
  }
  double gain() const { return gain_; }
  void Advance() {
    ++count_;
    while (level_ >= 0 && count_ > gains_[level_].num_at_level) {
      count_ = 1;
      --level_;
      gain_ = level_ >= 0 ? gains_[level_].gain : 0.0;
    }
  }

 private:
  const std::vector<RelGain>& gains_;
  long level_;
  long count_ = 0;
  double gain_;
};

// Converts fractions of num_rel to counts of relevant (iprec_at_recall, 11pt_avg: rounded to the
// nearest) or retrieved (Rprec_mult: plus 0.9, truncated) documents, as trec_eval does.
std::vector<long> RelCutoffs(const std::vector<double>& fractions, long num_rel, double add) {
  std::vector<long> cutoffs;
  for (double f : fractions) cutoffs.push_back(static_cast<long>(f * num_rel + add));
  return cutoffs;
}

// ---------------------------------------------------------------- measures

void CalcNothing(const Measure&, const RankedTopic&, const EvalOptions&, double*, std::string*) {}

void CalcNumQ(const Measure&, const RankedTopic&, const EvalOptions&, double* out, std::string*) {
  out[0] = 1;
}

void CalcNumRet(const Measure&, const RankedTopic& t, const EvalOptions&, double* out,
                std::string*) {
  out[0] = static_cast<double>(t.num_ret);
}

void CalcNumRel(const Measure&, const RankedTopic& t, const EvalOptions&, double* out,
                std::string*) {
  out[0] = static_cast<double>(t.num_rel);
}

void CalcNumRelRet(const Measure&, const RankedTopic& t, const EvalOptions&, double* out,
                   std::string*) {
  out[0] = static_cast<double>(t.num_rel_ret);
}

double AveragePrecision(const RankedTopic& t, const EvalOptions& o) {
  long rel_so_far = 0;
  double sum = 0.0;
  for (long i = 0; i < t.num_ret; ++i) {
    if (Relevant(t.rels[i], o)) {
      ++rel_so_far;
      sum += static_cast<double>(rel_so_far) / static_cast<double>(i + 1);
    }
  }
  return rel_so_far ? sum / static_cast<double>(t.num_rel) : 0.0;
}

void CalcMap(const Measure&, const RankedTopic& t, const EvalOptions& o, double* out,
             std::string*) {
  out[0] = AveragePrecision(t, o);
}

void CalcGmMap(const Measure&, const RankedTopic& t, const EvalOptions& o, double* out,
               std::string*) {
  out[0] = std::log(std::max(AveragePrecision(t, o), kMinGeoMean));
}

void CalcRprec(const Measure&, const RankedTopic& t, const EvalOptions& o, double* out,
               std::string*) {
  const long n = std::min(t.num_ret, t.num_rel);
  if (n == 0) return;
  long rel_so_far = 0;
  for (long i = 0; i < n; ++i) rel_so_far += Relevant(t.rels[i], o) ? 1 : 0;
  out[0] = static_cast<double>(rel_so_far) / static_cast<double>(t.num_rel);
}

double Bpref(const RankedTopic& t, const EvalOptions& o) {
  long num_nonrel = 0;
  for (long j = 0; j < o.relevance_level; ++j) num_nonrel += RelLevelCount(t, j);
  long nonrel_so_far = 0;
  double bpref = 0.0;
  for (long j = 0; j < t.num_ret; ++j) {
    const long rel = t.rels[j];
    if (rel == kNotInPool || rel == kUnjudged) continue;
    if (rel >= 0 && rel < o.relevance_level) {
      ++nonrel_so_far;
    } else if (nonrel_so_far > 0) {
      bpref += 1.0 - static_cast<double>(std::min(nonrel_so_far, t.num_rel)) /
                         static_cast<double>(std::min(num_nonrel, t.num_rel));
    } else {
      bpref += 1.0;
    }
  }
  if (t.num_rel) bpref /= static_cast<double>(t.num_rel);
  return bpref;
}

void CalcBpref(const Measure&, const RankedTopic& t, const EvalOptions& o, double* out,
               std::string*) {
  out[0] = Bpref(t, o);
}

void CalcGmBpref(const Measure&, const RankedTopic& t, const EvalOptions& o, double* out,
                 std::string*) {
  out[0] = std::log(std::max(Bpref(t, o), kMinGeoMean));
}

void CalcRecipRank(const Measure&, const RankedTopic& t, const EvalOptions& o, double* out,
                   std::string*) {
  for (long i = 0; i < t.num_ret; ++i) {
    if (Relevant(t.rels[i], o)) {
      out[0] = 1.0 / static_cast<double>(i + 1);
      return;
    }
  }
}

// Interpolated precision at the recall points `fractions`: Int_Prec(X) = max Prec(Y), Y >= X.
// Calls sink(index, value) for every cutoff.
template <typename Sink>
void InterpolatedPrecision(const std::vector<double>& fractions, const RankedTopic& t,
                           const EvalOptions& o, Sink sink) {
  const std::vector<long> cutoffs = RelCutoffs(fractions, t.num_rel, 0.5);
  long current = static_cast<long>(cutoffs.size()) - 1;
  while (current >= 0 && cutoffs[current] > t.num_rel_ret) --current;
  double precis = static_cast<double>(t.num_rel_ret) / static_cast<double>(t.num_ret);
  double int_precis = precis;
  long rel_so_far = t.num_rel_ret;
  for (long i = t.num_ret; i > 0 && rel_so_far > 0; --i) {
    precis = static_cast<double>(rel_so_far) / static_cast<double>(i);
    if (int_precis < precis) int_precis = precis;
    if (Relevant(t.rels[i - 1], o)) {
      while (current >= 0 && rel_so_far == cutoffs[current]) sink(current--, int_precis);
      --rel_so_far;
    }
  }
  while (current >= 0) sink(current--, int_precis);
}

void CalcIprecAtRecall(const Measure& m, const RankedTopic& t, const EvalOptions& o, double* out,
                       std::string*) {
  InterpolatedPrecision(m.params.doubles, t, o, [out](long i, double v) { out[i] = v; });
}

void Calc11ptAvg(const Measure& m, const RankedTopic& t, const EvalOptions& o, double* out,
                 std::string*) {
  double sum = 0.0;
  InterpolatedPrecision(m.params.doubles, t, o, [&sum](long, double v) { sum += v; });
  out[0] = sum / static_cast<double>(m.params.doubles.size());
}

// The shape shared by the cutoff measures: fn(rank_count) gives the value for the first
// `rank_count` documents (rank_count may exceed num_ret: missing documents count non-relevant).
template <typename Count, typename Value>
void AtCutoffs(const std::vector<long>& cutoffs, const RankedTopic& t, Count counts, Value value,
               double* out) {
  std::size_t index = 0;
  long so_far = 0;
  for (long i = 0; i < t.num_ret; ++i) {
    if (i == cutoffs[index]) {
      out[index] = value(so_far, i);
      if (++index == cutoffs.size()) return;
    }
    so_far += counts(t.rels[i]);
  }
  for (; index < cutoffs.size(); ++index) out[index] = value(so_far, cutoffs[index]);
}

void CalcP(const Measure& m, const RankedTopic& t, const EvalOptions& o, double* out,
           std::string*) {
  AtCutoffs(
      m.params.long_cutoffs, t, [&o](long rel) { return Relevant(rel, o) ? 1 : 0; },
      [](long rel_so_far, long n) {
        return static_cast<double>(rel_so_far) / static_cast<double>(n);
      },
      out);
}

void CalcRecall(const Measure& m, const RankedTopic& t, const EvalOptions& o, double* out,
                std::string*) {
  if (t.num_rel == 0) return;
  AtCutoffs(
      m.params.long_cutoffs, t, [&o](long rel) { return Relevant(rel, o) ? 1 : 0; },
      [&t](long rel_so_far, long) {
        return static_cast<double>(rel_so_far) / static_cast<double>(t.num_rel);
      },
      out);
}

void CalcRelativeP(const Measure& m, const RankedTopic& t, const EvalOptions& o, double* out,
                   std::string*) {
  if (t.num_rel == 0) return;
  AtCutoffs(
      m.params.long_cutoffs, t, [&o](long rel) { return Relevant(rel, o) ? 1 : 0; },
      [&t](long rel_so_far, long n) {
        return static_cast<double>(rel_so_far) / static_cast<double>(std::min(n, t.num_rel));
      },
      out);
}

void CalcSuccess(const Measure& m, const RankedTopic& t, const EvalOptions& o, double* out,
                 std::string*) {
  AtCutoffs(
      m.params.long_cutoffs, t, [&o](long rel) { return Relevant(rel, o) ? 1 : 0; },
      [](long rel_so_far, long) { return rel_so_far ? 1.0 : 0.0; }, out);
}

void CalcUnjudged(const Measure& m, const RankedTopic& t, const EvalOptions&, double* out,
                  std::string*) {
  AtCutoffs(
      m.params.long_cutoffs, t,
      [](long rel) { return rel == kNotInPool || rel == kUnjudged ? 1 : 0; },
      [](long unj_so_far, long n) {
        return static_cast<double>(unj_so_far) / static_cast<double>(n);
      },
      out);
}

void CalcMapCut(const Measure& m, const RankedTopic& t, const EvalOptions& o, double* out,
                std::string*) {
  if (t.num_rel == 0) return;
  const std::vector<long>& cutoffs = m.params.long_cutoffs;
  std::size_t index = 0;
  long rel_so_far = 0;
  double sum = 0.0;
  for (long i = 0; i < t.num_ret; ++i) {
    if (i == cutoffs[index]) {
      out[index] = sum / static_cast<double>(t.num_rel);
      if (++index == cutoffs.size()) return;
    }
    if (Relevant(t.rels[i], o)) {
      ++rel_so_far;
      sum += static_cast<double>(rel_so_far) / static_cast<double>(i + 1);
    }
  }
  for (; index < cutoffs.size(); ++index) out[index] = sum / static_cast<double>(t.num_rel);
}

void CalcRelstring(const Measure& m, const RankedTopic& t, const EvalOptions&, double*,
                   std::string* text) {
  long len = std::min(static_cast<long>(m.params.doubles[0]), t.num_ret);
  if (len < 0) len = 0;
  text->clear();
  for (long i = 0; i < len; ++i) {
    const long rel = t.rels[i];
    if (rel > 9) {
      *text += '>';
    } else if (rel >= 0) {
      *text += static_cast<char>('0' + rel);
    } else if (rel == kNotInPool) {
      *text += '-';
    } else if (rel == kUnjudged) {
      *text += '.';
    } else {
      *text += '<';
    }
  }
}

void CalcInfAp(const Measure&, const RankedTopic& t, const EvalOptions& o, double* out,
               std::string*) {
  long nonrel_so_far = 0;
  long rel_so_far = 0;
  long pool_unjudged_so_far = 0;
  double inf_ap = 0.0;
  for (long j = 0; j < t.num_ret; ++j) {
    const long rel = t.rels[j];
    if (rel == kNotInPool) continue;
    if (rel == kUnjudged) {
      ++pool_unjudged_so_far;
      continue;
    }
    if (rel >= 0 && rel < o.relevance_level) {
      ++nonrel_so_far;
      continue;
    }
    ++rel_so_far;
    if (j == 0) {
      inf_ap += 1.0;
    } else {
      const double fj = static_cast<double>(j);
      inf_ap +=
          1.0 / (fj + 1.0) +
          (fj / (fj + 1.0)) *
              (static_cast<double>(rel_so_far - 1 + nonrel_so_far + pool_unjudged_so_far) / fj) *
              ((static_cast<double>(rel_so_far - 1) + kInfApEpsilon) /
               (static_cast<double>(rel_so_far - 1 + nonrel_so_far) + 2 * kInfApEpsilon));
    }
  }
  if (t.num_rel) inf_ap /= static_cast<double>(t.num_rel);
  out[0] = inf_ap;
}

void CalcRprecMult(const Measure& m, const RankedTopic& t, const EvalOptions& o, double* out,
                   std::string*) {
  const std::vector<long> cutoffs = RelCutoffs(m.params.doubles, t.num_rel, 0.9);
  long current = static_cast<long>(cutoffs.size()) - 1;
  while (current >= 0 && cutoffs[current] > t.num_ret) {
    out[current] = static_cast<double>(t.num_rel_ret) / static_cast<double>(cutoffs[current]);
    --current;
  }
  long rel_so_far = t.num_rel_ret;
  for (long i = t.num_ret; i > 0 && rel_so_far > 0; --i) {
    const double precis = static_cast<double>(rel_so_far) / static_cast<double>(i);
    while (current >= 0 && i == cutoffs[current]) out[current--] = precis;
    if (Relevant(t.rels[i - 1], o)) --rel_so_far;
  }
}

void CalcUtility(const Measure& m, const RankedTopic& t, const EvalOptions& o, double* out,
                 std::string*) {
  const std::vector<double>& p = m.params.doubles;
  out[0] = p[0] * static_cast<double>(t.num_rel_ret) +
           p[1] * static_cast<double>(t.num_ret - t.num_rel_ret) +
           p[2] * static_cast<double>(t.num_rel - t.num_rel_ret) +
           p[3] * static_cast<double>(o.num_docs_in_coll + t.num_rel_ret - t.num_ret - t.num_rel);
}

void CalcBinG(const Measure&, const RankedTopic& t, const EvalOptions& o, double* out,
              std::string*) {
  long rel_so_far = 0;
  double sum = 0.0;
  for (long i = 0; i < t.num_ret; ++i) {
    if (Relevant(t.rels[i], o)) {
      ++rel_so_far;
      sum += 1.0 / std::log2(static_cast<double>(3 + i - rel_so_far));
    }
  }
  if (rel_so_far) out[0] = sum / static_cast<double>(t.num_rel);
}

void CalcG(const Measure& m, const RankedTopic& t, const EvalOptions&, double* out, std::string*) {
  const std::vector<RelGain> gains = SetupGains(m.params, t);
  IdealGains ideal(gains);
  double results_g = 0.0;
  double sum_results = 0.0;
  double sum_ideal = 0.0;
  double sum_cost = 0.0;
  const double min_cost = 1.0;
  long i = 0;
  for (; i < t.num_ret && ideal.gain() > 0.0; ++i) {
    const double results_gain = GetGain(t.rels[i], gains);
    sum_results += results_gain;
    ideal.Advance();
    if (ideal.gain() > 0.0) sum_ideal += ideal.gain();
    sum_cost += ideal.gain() >= min_cost ? ideal.gain() : min_cost;
    if (results_gain != 0) results_g += results_gain / std::log2(2 + sum_cost - sum_results);
  }
  for (; i < t.num_ret; ++i) {
    const double results_gain = GetGain(t.rels[i], gains);
    sum_results += results_gain;
    sum_cost += min_cost;
    if (results_gain != 0) results_g += results_gain / std::log2(2 + sum_cost - sum_results);
  }
  while (ideal.gain() > 0.0) {
    ideal.Advance();
    if (ideal.gain() > 0.0) sum_ideal += ideal.gain();
  }
  if (sum_ideal > 0.0) out[0] = results_g / sum_ideal;
}

struct Dcg {
  double results = 0.0;
  double ideal = 0.0;
};

Dcg ComputeDcg(const std::vector<RelGain>& gains, const RankedTopic& t) {
  Dcg dcg;
  IdealGains ideal(gains);
  long i = 0;
  for (; i < t.num_ret && ideal.gain() > 0.0; ++i) {
    const double gain = GetGain(t.rels[i], gains);
    if (gain != 0) dcg.results += gain / std::log2(static_cast<double>(i + 2));
    ideal.Advance();
    if (ideal.gain() > 0.0) dcg.ideal += ideal.gain() / std::log2(static_cast<double>(i + 2));
  }
  for (; i < t.num_ret; ++i) {
    const double gain = GetGain(t.rels[i], gains);
    if (gain != 0) dcg.results += gain / std::log2(static_cast<double>(i + 2));
  }
  for (; ideal.gain() > 0.0; ++i) {
    ideal.Advance();
    if (ideal.gain() > 0.0) dcg.ideal += ideal.gain() / std::log2(static_cast<double>(i + 2));
  }
  return dcg;
}

void CalcNdcg(const Measure& m, const RankedTopic& t, const EvalOptions&, double* out,
              std::string*) {
  const Dcg dcg = ComputeDcg(SetupGains(m.params, t), t);
  if (dcg.ideal > 0.0) out[0] = dcg.results / dcg.ideal;
}

void CalcDcg(const Measure& m, const RankedTopic& t, const EvalOptions&, double* out,
             std::string*) {
  out[0] = ComputeDcg(SetupGains(m.params, t), t).results;
}

void CalcIdealDcg(const Measure& m, const RankedTopic& t, const EvalOptions&, double* out,
                  std::string*) {
  out[0] = ComputeDcg(SetupGains(m.params, t), t).ideal;
}

void CalcNdcgRel(const Measure& m, const RankedTopic& t, const EvalOptions&, double* out,
                 std::string*) {
  const std::vector<RelGain> gains = SetupGains(m.params, t);
  IdealGains ideal(gains);
  double results_dcg = 0.0;
  double ideal_dcg = 0.0;
  double sum = 0.0;
  long num_rel_ret = 0;
  long num_rel = 0;
  long i = 0;
  for (; i < t.num_ret && ideal.gain() > 0.0; ++i) {
    const double gain = GetGain(t.rels[i], gains);
    if (gain != 0) results_dcg += gain / std::log2(static_cast<double>(i + 2));
    ideal.Advance();
    if (ideal.gain() > 0.0) {
      ++num_rel;
      ideal_dcg += ideal.gain() / std::log2(static_cast<double>(i + 2));
    }
    if (gain > 0) {
      sum += results_dcg / ideal_dcg;
      ++num_rel_ret;
    }
  }
  for (; i < t.num_ret; ++i) {
    const double gain = GetGain(t.rels[i], gains);
    if (gain != 0) results_dcg += gain / std::log2(static_cast<double>(i + 2));
    if (gain > 0) {
      sum += results_dcg / ideal_dcg;
      ++num_rel_ret;
    }
  }
  for (; ideal.gain() > 0.0; ++i) {
    ideal.Advance();
    if (ideal.gain() > 0.0) {
      ++num_rel;
      ideal_dcg += ideal.gain() / std::log2(static_cast<double>(i + 2));
    }
  }
  sum += static_cast<double>(num_rel - num_rel_ret) * results_dcg / ideal_dcg;
  if (sum > 0.0) out[0] = sum / static_cast<double>(num_rel);
}

void CalcRndcg(const Measure& m, const RankedTopic& t, const EvalOptions&, double* out,
               std::string*) {
  const std::vector<RelGain> gains = SetupGains(m.params, t);
  if (t.num_rel == 0) return;
  IdealGains ideal(gains);
  double results_dcg = 0.0;
  double ideal_dcg = 0.0;
  double sum = 0.0;
  double old_ideal_gain = ideal.gain();
  long num_changed = 0;
  auto at_boundary = [&] {
    if (old_ideal_gain != ideal.gain()) {
      if (ideal_dcg > 0.0) {
        sum += results_dcg / ideal_dcg;
        ++num_changed;
      }
      old_ideal_gain = ideal.gain();
    }
  };
  long i = 0;
  for (; i < t.num_ret && ideal.gain() > 0.0; ++i) {
    const double gain = GetGain(t.rels[i], gains);
    ideal.Advance();
    at_boundary();
    if (gain != 0) results_dcg += gain / std::log2(static_cast<double>(i + 2));
    if (ideal.gain() > 0.0) ideal_dcg += ideal.gain() / std::log2(static_cast<double>(i + 2));
  }
  if (i < t.num_ret) {
    for (; i < t.num_ret; ++i) {
      const double gain = GetGain(t.rels[i], gains);
      if (gain != 0) results_dcg += gain / std::log2(static_cast<double>(i + 2));
    }
    if (ideal_dcg > 0.0) {
      sum += results_dcg / ideal_dcg;
      ++num_changed;
    }
  }
  for (; ideal.gain() > 0.0; ++i) {
    ideal.Advance();
    at_boundary();
    if (ideal.gain() > 0.0) ideal_dcg += ideal.gain() / std::log2(static_cast<double>(i + 2));
  }
  out[0] = sum / static_cast<double>(num_changed);
}

// ndcg_cut takes gains straight from the rel values (no parameters), as trec_eval does.
void CalcNdcgCut(const Measure& m, const RankedTopic& t, const EvalOptions&, double* out,
                 std::string*) {
  const std::vector<long>& cutoffs = m.params.long_cutoffs;
  std::size_t index = 0;
  double sum = 0.0;
  for (long i = 0; i < t.num_ret; ++i) {
    if (i == cutoffs[index]) {
      out[index] = sum;
      if (++index == cutoffs.size()) break;
    }
    const double gain = static_cast<double>(t.rels[i]);
    if (gain > 0) sum += gain / std::log2(static_cast<double>(i + 2));
  }
  for (; index < cutoffs.size(); ++index) out[index] = sum;

  index = 0;
  long level = t.num_rel_levels - 1;
  long level_count = 0;
  double ideal_dcg = 0.0;
  for (long i = 0;; ++i) {
    ++level_count;
    while (level > 0 && level_count > RelLevelCount(t, level)) {
      --level;
      level_count = 1;
    }
    if (level == 0) break;
    if (i == cutoffs[index]) {
      if (ideal_dcg > 0.0) out[index] /= ideal_dcg;
      if (++index == cutoffs.size()) break;
    }
    ideal_dcg += static_cast<double>(level) / std::log2(static_cast<double>(i + 2));
  }
  for (; index < cutoffs.size(); ++index) {
    if (ideal_dcg > 0.0) out[index] /= ideal_dcg;
  }
}

void CalcSetP(const Measure&, const RankedTopic& t, const EvalOptions&, double* out, std::string*) {
  if (t.num_ret) out[0] = static_cast<double>(t.num_rel_ret) / static_cast<double>(t.num_ret);
}

void CalcSetRelativeP(const Measure&, const RankedTopic& t, const EvalOptions&, double* out,
                      std::string*) {
  if (t.num_ret && t.num_rel) {
    out[0] =
        static_cast<double>(t.num_rel_ret) / static_cast<double>(std::min(t.num_ret, t.num_rel));
  }
}

void CalcSetRecall(const Measure&, const RankedTopic& t, const EvalOptions&, double* out,
                   std::string*) {
  if (t.num_rel) out[0] = static_cast<double>(t.num_rel_ret) / static_cast<double>(t.num_rel);
}

void CalcSetMap(const Measure&, const RankedTopic& t, const EvalOptions&, double* out,
                std::string*) {
  if (t.num_ret && t.num_rel) {
    out[0] = (static_cast<double>(t.num_rel_ret) * static_cast<double>(t.num_rel_ret)) /
             (static_cast<double>(t.num_ret) * static_cast<double>(t.num_rel));
  }
}

void CalcSetF(const Measure& m, const RankedTopic& t, const EvalOptions&, double* out,
              std::string*) {
  if (!t.num_rel_ret) return;
  const double p = static_cast<double>(t.num_rel_ret) / static_cast<double>(t.num_ret);
  const double r = static_cast<double>(t.num_rel_ret) / static_cast<double>(t.num_rel);
  const double x = m.params.doubles[0];
  out[0] = (x + 1.0) * p * r / (x * p + r);
}

void CalcNumNonrelJudgedRet(const Measure&, const RankedTopic& t, const EvalOptions&, double* out,
                            std::string*) {
  out[0] = static_cast<double>(t.num_ret - t.num_nonpool - t.num_unjudged_in_pool - t.num_rel_ret);
}

double RbpPersistence(const MeasureParams& params) {
  double p = 0.9;
  for (const auto& [name, value] : params.pairs) {
    if (name == "p") p = value;
  }
  return p;
}

void CalcRbp(const Measure& m, const RankedTopic& t, const EvalOptions&, double* out,
             std::string*) {
  const double p = RbpPersistence(m.params);
  std::vector<RelGain> gains = SetupGains(m.params, t);
  // Gains are normalised to [0, 1] when they fall outside it.
  if (!gains.empty()) {
    double min = gains[0].gain;
    double max = gains[0].gain;
    for (const RelGain& g : gains) {
      min = std::min(min, g.gain);
      max = std::max(max, g.gain);
    }
    if (min < 0 || max > 1) {
      for (RelGain& g : gains) g.gain = (g.gain - min) / (max - min);
    }
  }
  double sum = 0.0;
  double cur_p = 1.0;
  for (long i = 0; i < t.num_ret; ++i) {
    const double gain = GetGain(t.rels[i], gains);
    if (gain != 0) sum += gain * cur_p;
    cur_p *= p;
  }
  out[0] = (1.0 - p) * sum;
}

void CalcRbpResid(const Measure& m, const RankedTopic& t, const EvalOptions&, double* out,
                  std::string*) {
  const double p = RbpPersistence(m.params);
  long unjudged = 0;
  double sum = 0.0;
  double cur_p = 1.0;
  for (long i = 0; i < t.num_ret; ++i) {
    if (t.rels[i] < 0) {
      ++unjudged;
      sum += cur_p;
    }
    cur_p *= p;
  }
  if (unjudged) out[0] = cur_p + (1 - p) * sum;
}

// ---------------------------------------------------------------- the table

const std::vector<long> kDocCutoffs = {5, 10, 15, 20, 30, 100, 200, 500, 1000};
const std::vector<double> kRecallPoints = {0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0};

using VT = ValueType;
using SM = Summary;
using PK = ParamKind;

// trec_eval's measures in trec_eval's order (which is the output order).
const std::vector<MeasureDef>& Table() {
  static const std::vector<MeasureDef> table = {
      {"runid", PK::kNone, VT::kText, SM::kRunId, false, CalcNothing, {}, {}},
      {"num_q", PK::kNone, VT::kLong, SM::kNumQ, false, CalcNumQ, {}, {}},
      {"num_ret", PK::kNone, VT::kLong, SM::kSum, true, CalcNumRet, {}, {}},
      {"num_rel", PK::kNone, VT::kLong, SM::kSum, true, CalcNumRel, {}, {}},
      {"num_rel_ret", PK::kNone, VT::kLong, SM::kSum, true, CalcNumRelRet, {}, {}},
      {"map", PK::kNone, VT::kDouble, SM::kMean, true, CalcMap, {}, {}},
      {"gm_map", PK::kNone, VT::kDouble, SM::kGeometricMean, false, CalcGmMap, {}, {}},
      {"Rprec", PK::kNone, VT::kDouble, SM::kMean, true, CalcRprec, {}, {}},
      {"bpref", PK::kNone, VT::kDouble, SM::kMean, true, CalcBpref, {}, {}},
      {"recip_rank", PK::kNone, VT::kDouble, SM::kMean, true, CalcRecipRank, {}, {}},
      {"iprec_at_recall",
       PK::kDoubleCutoffs,
       VT::kDouble,
       SM::kMean,
       true,
       CalcIprecAtRecall,
       {},
       kRecallPoints},
      {"P", PK::kLongCutoffs, VT::kDouble, SM::kMean, true, CalcP, kDocCutoffs, {}},
      {"relstring", PK::kDoubleParams, VT::kText, SM::kNone, true, CalcRelstring, {}, {10.0}},
      {"recall", PK::kLongCutoffs, VT::kDouble, SM::kMean, true, CalcRecall, kDocCutoffs, {}},
      {"infAP", PK::kNone, VT::kDouble, SM::kMean, true, CalcInfAp, {}, {}},
      {"gm_bpref", PK::kNone, VT::kDouble, SM::kGeometricMean, false, CalcGmBpref, {}, {}},
      {"Rprec_mult",
       PK::kDoubleCutoffs,
       VT::kDouble,
       SM::kMean,
       true,
       CalcRprecMult,
       {},
       {0.2, 0.4, 0.6, 0.8, 1.0, 1.2, 1.4, 1.6, 1.8, 2.0}},
      {"utility",
       PK::kDoubleParams,
       VT::kDouble,
       SM::kMean,
       true,
       CalcUtility,
       {},
       {1.0, -1.0, 0.0, 0.0}},
      {"11pt_avg", PK::kDoubleParams, VT::kDouble, SM::kMean, true, Calc11ptAvg, {}, kRecallPoints},
      {"binG", PK::kNone, VT::kDouble, SM::kMean, true, CalcBinG, {}, {}},
      {"G", PK::kPairs, VT::kDouble, SM::kMean, true, CalcG, {}, {}},
      {"dcg", PK::kPairs, VT::kDouble, SM::kMean, true, CalcDcg, {}, {}},
      {"ideal_dcg", PK::kPairs, VT::kDouble, SM::kMean, true, CalcIdealDcg, {}, {}},
      {"ndcg", PK::kPairs, VT::kDouble, SM::kMean, true, CalcNdcg, {}, {}},
      {"ndcg_rel", PK::kPairs, VT::kDouble, SM::kMean, true, CalcNdcgRel, {}, {}},
      {"Rndcg", PK::kPairs, VT::kDouble, SM::kMean, true, CalcRndcg, {}, {}},
      {"ndcg_cut", PK::kLongCutoffs, VT::kDouble, SM::kMean, true, CalcNdcgCut, kDocCutoffs, {}},
      {"map_cut", PK::kLongCutoffs, VT::kDouble, SM::kMean, true, CalcMapCut, kDocCutoffs, {}},
      {"relative_P",
       PK::kLongCutoffs,
       VT::kDouble,
       SM::kMean,
       true,
       CalcRelativeP,
       kDocCutoffs,
       {}},
      {"success", PK::kLongCutoffs, VT::kDouble, SM::kMean, true, CalcSuccess, {1, 5, 10}, {}},
      {"set_P", PK::kNone, VT::kDouble, SM::kMean, true, CalcSetP, {}, {}},
      {"set_relative_P", PK::kNone, VT::kDouble, SM::kMean, true, CalcSetRelativeP, {}, {}},
      {"set_recall", PK::kNone, VT::kDouble, SM::kMean, true, CalcSetRecall, {}, {}},
      {"set_map", PK::kNone, VT::kDouble, SM::kMean, true, CalcSetMap, {}, {}},
      {"set_F", PK::kDoubleParams, VT::kDouble, SM::kMean, true, CalcSetF, {}, {1.0}},
      {"num_nonrel_judged_ret",
       PK::kNone,
       VT::kLong,
       SM::kSum,
       true,
       CalcNumNonrelJudgedRet,
       {},
       {}},
      {"rbp", PK::kPairs, VT::kDouble, SM::kMean, true, CalcRbp, {}, {}},
      {"rbp_resid", PK::kPairs, VT::kDouble, SM::kMean, true, CalcRbpResid, {}, {}},
      {"unj", PK::kLongCutoffs, VT::kDouble, SM::kMean, true, CalcUnjudged, {5, 10, 20}, {}},
  };
  return table;
}

struct Nickname {
  const char* name;
  std::vector<const char*> measures;
};

const std::vector<Nickname>& Nicknames() {
  static const std::vector<Nickname> nicknames = {
      {"official",
       {"runid", "num_q", "num_ret", "num_rel", "num_rel_ret", "map", "gm_map", "Rprec", "bpref",
        "recip_rank", "iprec_at_recall", "P"}},
      {"set",
       {"runid", "num_q", "num_ret", "num_rel", "num_rel_ret", "utility", "set_P", "set_recall",
        "set_relative_P", "set_map", "set_F"}},
      {"all_trec",
       {"runid",
        "num_q",
        "num_ret",
        "num_rel",
        "num_rel_ret",
        "map",
        "gm_map",
        "Rprec",
        "bpref",
        "recip_rank",
        "iprec_at_recall",
        "P",
        "relstring",
        "recall",
        "unj",
        "rbp",
        "rbp_resid",
        "infAP",
        "gm_bpref",
        "utility",
        "11pt_avg",
        "ndcg",
        "relative_P",
        "Rprec_mult",
        "success",
        "map_cut",
        "ndcg_cut",
        "ndcg_rel",
        "Rndcg",
        "binG",
        "G",
        "set_P",
        "set_recall",
        "set_relative_P",
        "set_map",
        "set_F",
        "num_nonrel_judged_ret"}},
  };
  return nicknames;
}

const MeasureDef* FindDef(std::string_view name) {
  for (const MeasureDef& def : Table()) {
    if (name == def.name) return &def;
  }
  return nullptr;
}

std::string FormatDoubleCutoffName(const std::string& name, double value) {
  // trec_eval formats "%s_%3.2f" into a buffer of strlen(name) + 10 bytes, cutting longer names.
  char buffer[400];
  std::snprintf(buffer, sizeof(buffer), "%s_%3.2f", name.c_str(), value);
  std::string full = buffer;
  if (full.size() > name.size() + 9) full.resize(name.size() + 9);
  return full;
}

Status BadParams(const std::string& measure, const std::string& params,
                 const std::string& problem) {
  return InvalidArgument("measure '" + measure + "." + params + "': " + problem);
}

Status ParseParams(const MeasureDef& def, const std::string& text, MeasureParams* params) {
  params->printable = text;
  const std::vector<std::string> pieces = SplitOn(text, ',');
  switch (def.param_kind) {
    case PK::kNone:
      return BadParams(def.name, text, "this measure takes no parameters");
    case PK::kLongCutoffs: {
      params->long_cutoffs.clear();
      for (const std::string& piece : pieces) params->long_cutoffs.push_back(CAtol(piece));
      std::sort(params->long_cutoffs.begin(), params->long_cutoffs.end());
      if (params->long_cutoffs[0] <= 0) return BadParams(def.name, text, "cutoffs must be > 0");
      for (std::size_t i = 1; i < params->long_cutoffs.size(); ++i) {
        if (params->long_cutoffs[i] == params->long_cutoffs[i - 1]) {
          return BadParams(def.name, text, "duplicate cutoffs");
        }
      }
      return Status::Ok();
    }
    case PK::kDoubleCutoffs: {
      params->doubles.clear();
      for (const std::string& piece : pieces) params->doubles.push_back(CAtof(piece));
      std::sort(params->doubles.begin(), params->doubles.end());
      for (std::size_t i = 1; i < params->doubles.size(); ++i) {
        if (params->doubles[i] == params->doubles[i - 1]) {
          return BadParams(def.name, text, "duplicate cutoffs");
        }
      }
      return Status::Ok();
    }
    case PK::kDoubleParams:
      params->doubles.clear();
      for (const std::string& piece : pieces) params->doubles.push_back(CAtof(piece));
      if (std::string_view(def.name) == "utility" && params->doubles.size() != 4) {
        return BadParams(def.name, text, "utility needs 4 coefficients");
      }
      return Status::Ok();
    case PK::kPairs:
      params->pairs.clear();
      for (const std::string& piece : pieces) {
        const std::size_t eq = piece.find('=');
        if (eq == std::string::npos || piece.find('=', eq + 1) != std::string::npos) {
          return BadParams(def.name, text, "parameters must be rel_level=gain pairs");
        }
        params->pairs.emplace_back(piece.substr(0, eq), CAtof(piece.substr(eq + 1)));
      }
      return Status::Ok();
  }
  return Status::Ok();
}

Measure MakeMeasure(const MeasureDef& def) {
  Measure measure;
  measure.def = &def;
  measure.params.long_cutoffs = def.default_long_cutoffs;
  measure.params.doubles = def.default_doubles;
  return measure;
}

void NameValues(Measure* measure) {
  const std::string name = measure->def->name;
  measure->value_names.clear();
  switch (measure->def->param_kind) {
    case PK::kLongCutoffs:
      for (long cutoff : measure->params.long_cutoffs) {
        measure->value_names.push_back(name + "_" + std::to_string(cutoff));
      }
      break;
    case PK::kDoubleCutoffs:
      for (double cutoff : measure->params.doubles) {
        measure->value_names.push_back(FormatDoubleCutoffName(name, cutoff));
      }
      break;
    default:
      measure->value_names.push_back(
          measure->params.printable.empty() ? name : name + "_" + measure->params.printable);
  }
}

}  // namespace

std::string MeasureName(const Measure& measure) { return measure.def->name; }

ValueType MeasureValueType(const Measure& measure) { return measure.def->type; }
Summary MeasureSummary(const Measure& measure) { return measure.def->summary; }
bool MeasurePrintedPerTopic(const Measure& measure) { return measure.def->per_topic; }

void ComputeMeasure(const Measure& measure, const RankedTopic& topic, const EvalOptions& options,
                    double* out, std::string* text) {
  measure.def->compute(measure, topic, options, out, text);
}

RankedTopic RankTopic(const std::vector<Judgment>& judgments, std::vector<Retrieved> retrieved,
                      const EvalOptions& options) {
  std::sort(retrieved.begin(), retrieved.end(), [](const Retrieved& a, const Retrieved& b) {
    if (a.score != b.score) return a.score > b.score;
    return a.docno > b.docno;
  });
  if (static_cast<long>(retrieved.size()) > options.max_docs_per_topic) {
    retrieved.resize(static_cast<std::size_t>(std::max(0L, options.max_docs_per_topic)));
  }
  RankedTopic t;
  long max_rel = judgments.empty() ? 0 : judgments[0].rel;
  for (const Judgment& j : judgments) max_rel = std::max(max_rel, j.rel);
  t.rel_levels.assign(static_cast<std::size_t>(std::max(0L, max_rel + 1)), 0);
  for (const Judgment& j : judgments) {
    if (j.rel >= 0) ++t.rel_levels[j.rel];
  }
  t.num_ret = static_cast<long>(retrieved.size());
  t.rels.reserve(retrieved.size());
  for (const Retrieved& doc : retrieved) {
    auto it = std::lower_bound(
        judgments.begin(), judgments.end(), doc.docno,
        [](const Judgment& j, const std::string& docno) { return j.docno < docno; });
    long rel = kNotInPool;
    if (it != judgments.end() && it->docno == doc.docno) rel = it->rel < 0 ? kUnjudged : it->rel;
    t.rels.push_back(rel);
    if (rel == kNotInPool) {
      ++t.num_nonpool;
    } else if (rel == kUnjudged) {
      ++t.num_unjudged_in_pool;
    } else if (rel >= options.relevance_level) {
      ++t.num_rel_ret;
    }
  }
  for (long level = 0; level < static_cast<long>(t.rel_levels.size()); ++level) {
    if (t.rel_levels[level] == 0) continue;
    t.num_rel_levels = level + 1;
    if (level >= options.relevance_level) t.num_rel += t.rel_levels[level];
  }
  return t;
}

StatusOr<std::vector<Measure>> SelectMeasures(const std::vector<std::string>& specs) {
  std::vector<std::string> effective = specs;
  if (effective.empty()) effective.push_back("official");
  std::vector<bool> marked(Table().size(), false);
  std::vector<std::pair<const MeasureDef*, std::string>> params;  // First given wins.
  auto mark = [&](std::string_view name) -> bool {
    const MeasureDef* def = FindDef(name);
    if (def == nullptr) return false;
    marked[def - Table().data()] = true;
    return true;
  };
  for (const std::string& spec : effective) {
    const std::size_t dot = spec.find('.');
    const std::string name = spec.substr(0, dot);
    if (dot != std::string::npos) {
      const std::string text = spec.substr(dot + 1);
      if (text.empty()) return InvalidArgument("measure '" + spec + "': empty parameters");
      params.emplace_back(FindDef(name), text);
    }
    bool found = false;
    for (const Nickname& nickname : Nicknames()) {
      if (name == nickname.name) {
        for (const char* member : nickname.measures) mark(member);
        found = true;
      }
    }
    if (!found && !mark(name)) {
      return InvalidArgument("unknown measure '" + name + "' (see dyad-eval score --help)");
    }
  }
  std::vector<Measure> measures;
  for (std::size_t i = 0; i < Table().size(); ++i) {
    if (!marked[i]) continue;
    Measure measure = MakeMeasure(Table()[i]);
    for (const auto& [def, text] : params) {
      if (def != &Table()[i]) continue;
      Status status = ParseParams(*def, text, &measure.params);
      if (!status.ok()) return status;
      break;
    }
    NameValues(&measure);
    measures.push_back(std::move(measure));
  }
  return measures;
}

std::vector<std::string> AllMeasureNames() {
  std::vector<std::string> names;
  for (const MeasureDef& def : Table()) names.push_back(def.name);
  return names;
}

std::vector<std::string> MeasureNicknames() {
  std::vector<std::string> names;
  for (const Nickname& nickname : Nicknames()) names.push_back(nickname.name);
  return names;
}

std::string MeasureOfValueName(std::string_view value_name) {
  std::string best;
  for (const MeasureDef& def : Table()) {
    const std::string_view name = def.name;
    const bool exact = value_name == name;
    const bool prefixed = value_name.size() > name.size() && value_name.starts_with(name) &&
                          value_name[name.size()] == '_';
    if ((exact || prefixed) && name.size() > best.size()) best = std::string(name);
  }
  return best;
}

}  // namespace dyad::eval
