// Significance tests for comparing two runs topic by topic (dyad-eval compare).
#ifndef DYAD_CLIENTS_EVAL_STATISTICS_H_
#define DYAD_CLIENTS_EVAL_STATISTICS_H_

#include <cstdint>
#include <vector>

namespace dyad::eval {

// The regularised incomplete beta function I_x(a, b) for a, b > 0 and 0 <= x <= 1, by its
// continued fraction (modified Lentz), accurate to about 1e-14. NaN outside the domain.
double RegularizedIncompleteBeta(double a, double b, double x);

// P(T <= t) for Student's t distribution with `df` > 0 degrees of freedom.
double StudentTCdf(double t, double df);

struct TTest {
  double t = 0;        // Mean difference / its standard error.
  double df = 0;       // n - 1.
  double p_value = 1;  // Two-sided: P(|T| >= |t|).
};

// Paired t-test of b[i] - a[i] against a mean of 0. With fewer than 2 pairs t and p are NaN;
// when every difference is the same, t is 0 (p = 1) if they are 0, else +-infinity (p = 0).
TTest PairedTTest(const std::vector<double>& a, const std::vector<double>& b);

// Two-sided paired randomisation (permutation) test: each of `permutations` trials swaps every
// pair with probability 1/2 (flips the sign of its difference), and p = (k + 1) /
// (permutations + 1), where k counts trials whose |sum of differences| is at least the
// observed one (within a relative 1e-9, so exact ties count). The swaps come from the raw bits
// of std::mt19937_64 seeded with `seed`, which the standard defines exactly, so a seed gives the
// same p on every platform. 1 when there are no pairs.
double RandomizationTest(const std::vector<double>& a, const std::vector<double>& b,
                         std::uint32_t permutations, std::uint64_t seed);

}  // namespace dyad::eval

#endif  // DYAD_CLIENTS_EVAL_STATISTICS_H_
