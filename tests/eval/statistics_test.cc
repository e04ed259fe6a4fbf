// Significance tests of dyad-eval compare, against values computed independently: closed forms
// of the incomplete beta and t distributions, and p-values from numerically integrating the t
// density (Simpson's rule, 200,000 intervals, in a Python script using only `math`).
#include "clients/eval/statistics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

namespace dyad::eval {
namespace {

// I_x(a, b) for integer a, b: the binomial tail sum_{j=a}^{a+b-1} C(a+b-1, j) x^j (1-x)^(a+b-1-j).
double BinomialTail(int a, int b, double x) {
  const int n = a + b - 1;
  double sum = 0;
  for (int j = a; j <= n; ++j) {
    sum += std::tgamma(n + 1) / (std::tgamma(j + 1) * std::tgamma(n - j + 1)) * std::pow(x, j) *
           std::pow(1 - x, n - j);
  }
  return sum;
}

TEST(IncompleteBeta, MatchesBinomialTailsForIntegerParameters) {
  EXPECT_NEAR(RegularizedIncompleteBeta(2, 3, 0.3), 0.3483, 1e-14);  // By hand.
  for (int a = 1; a <= 6; ++a) {
    for (int b = 1; b <= 6; ++b) {
      for (double x : {0.01, 0.2, 0.5, 0.77, 0.99}) {
        EXPECT_NEAR(RegularizedIncompleteBeta(a, b, x), BinomialTail(a, b, x), 1e-13)
            << "a=" << a << " b=" << b << " x=" << x;
      }
    }
  }
}

TEST(IncompleteBeta, EdgesAndDomain) {
  EXPECT_EQ(RegularizedIncompleteBeta(2.5, 0.5, 0), 0);
  EXPECT_EQ(RegularizedIncompleteBeta(2.5, 0.5, 1), 1);
  EXPECT_TRUE(std::isnan(RegularizedIncompleteBeta(0, 1, 0.5)));
  EXPECT_TRUE(std::isnan(RegularizedIncompleteBeta(1, 1, 1.5)));
  // Symmetry I_x(a, b) = 1 - I_{1-x}(b, a) at non-integer parameters.
  EXPECT_NEAR(RegularizedIncompleteBeta(3.7, 0.5, 0.9),
              1 - RegularizedIncompleteBeta(0.5, 3.7, 0.1), 1e-14);
}

TEST(StudentT, ClosedFormsForOneTwoAndThreeDegreesOfFreedom) {
  const double pi = std::numbers::pi;
  for (double t : {-7.0, -1.3, -0.2, 0.0, 0.4, 1.0, 2.5, 12.0}) {
    // df 1 (Cauchy): 1/2 + atan(t) / pi.
    EXPECT_NEAR(StudentTCdf(t, 1), 0.5 + std::atan(t) / pi, 1e-14) << t;
    // df 2: 1/2 + t / (2 sqrt(2 + t^2)).
    EXPECT_NEAR(StudentTCdf(t, 2), 0.5 + t / (2 * std::sqrt(2 + t * t)), 1e-14) << t;
    // df 3: 1/2 + (t / (sqrt(3) (1 + t^2/3)) + atan(t / sqrt(3))) / pi.
    const double s3 = std::sqrt(3.0);
    EXPECT_NEAR(StudentTCdf(t, 3), 0.5 + (t / (s3 * (1 + t * t / 3)) + std::atan(t / s3)) / pi,
                1e-14)
        << t;
  }
}

TEST(StudentT, TableValues) {
  // t(0.95; 5) = 2.015048373: the two-sided tail is 0.10.
  EXPECT_NEAR(StudentTCdf(2.015048373, 5), 0.95, 1e-9);
  // Two-sided P(|T_10| >= 1.5) = 0.1645073264 (integrated density).
  EXPECT_NEAR(2 * StudentTCdf(-1.5, 10), 0.1645073264, 1e-9);
  EXPECT_EQ(StudentTCdf(INFINITY, 4), 1);
  EXPECT_EQ(StudentTCdf(-INFINITY, 4), 0);
}

TEST(PairedTTest, FiveTopics) {
  // d = 0.05 0.02 0.08 0.01 0.10: mean 0.052, sd 0.038340579, t = 3.032701586 (df 4),
  // p = 0.038677915 (integrated density).
  const TTest r = PairedTTest({0.1, 0.2, 0.3, 0.4, 0.5}, {0.15, 0.22, 0.38, 0.41, 0.6});
  EXPECT_NEAR(r.t, 3.032701586303, 1e-9);
  EXPECT_EQ(r.df, 4);
  EXPECT_NEAR(r.p_value, 0.038677915076, 1e-9);
}

TEST(PairedTTest, TwelveTopicsAndSymmetry) {
  const std::vector<double> a = {0.21, 0.35, 0.10, 0.55, 0.42, 0.05,
                                 0.33, 0.61, 0.27, 0.18, 0.49, 0.30};
  const std::vector<double> b = {0.25, 0.31, 0.18, 0.60, 0.47, 0.04,
                                 0.39, 0.66, 0.26, 0.25, 0.52, 0.36};
  const TTest r = PairedTTest(a, b);
  EXPECT_NEAR(r.t, 3.373669399251, 1e-9);
  EXPECT_EQ(r.df, 11);
  EXPECT_NEAR(r.p_value, 0.006211758954, 1e-9);
  const TTest reversed = PairedTTest(b, a);
  EXPECT_NEAR(reversed.t, -r.t, 1e-12);
  EXPECT_NEAR(reversed.p_value, r.p_value, 1e-14);
}

TEST(PairedTTest, DegenerateInputs) {
  EXPECT_TRUE(std::isnan(PairedTTest({0.5}, {0.7}).p_value));
  EXPECT_TRUE(std::isnan(PairedTTest({}, {}).p_value));
  const TTest same = PairedTTest({0.1, 0.2, 0.3}, {0.1, 0.2, 0.3});
  EXPECT_EQ(same.t, 0);
  EXPECT_EQ(same.p_value, 1);
  const TTest shifted = PairedTTest({0.1, 0.2, 0.3}, {0.2, 0.3, 0.4});  // Every d = 0.1.
  EXPECT_TRUE(std::isinf(shifted.t));
  EXPECT_GT(shifted.t, 0);
  EXPECT_EQ(shifted.p_value, 0);
}

// The exact two-sided randomisation p over all 2^n sign assignments.
double ExactRandomization(const std::vector<double>& d) {
  double observed = 0;
  for (double x : d) observed += x;
  const std::size_t n = d.size();
  std::size_t at_least = 0;
  for (std::size_t mask = 0; mask < (std::size_t{1} << n); ++mask) {
    double sum = 0;
    for (std::size_t i = 0; i < n; ++i) sum += (mask >> i & 1) ? -d[i] : d[i];
    if (std::fabs(sum) >= std::fabs(observed) - 1e-12) ++at_least;
  }
  return static_cast<double>(at_least) / static_cast<double>(std::size_t{1} << n);
}

TEST(RandomizationTest, AgreesWithExhaustiveEnumeration) {
  // 10,000 trials: the estimate's standard error is below 0.005 for these p.
  const std::vector<double> zeros(5, 0.0);
  const std::vector<double> ramp = {1, 2, 3, 4, 5};
  EXPECT_DOUBLE_EQ(ExactRandomization(ramp), 0.0625);  // Only all + and all - reach 15.
  EXPECT_NEAR(RandomizationTest(zeros, ramp, 10000, 1), 0.0625, 0.01);

  const std::vector<double> a = {0.21, 0.35, 0.10, 0.55, 0.42, 0.05,
                                 0.33, 0.61, 0.27, 0.18, 0.49, 0.30};
  const std::vector<double> b = {0.25, 0.31, 0.18, 0.60, 0.47, 0.04,
                                 0.39, 0.66, 0.26, 0.25, 0.52, 0.36};
  std::vector<double> d;
  for (std::size_t i = 0; i < a.size(); ++i) d.push_back(b[i] - a[i]);
  EXPECT_NEAR(ExactRandomization(d), 0.01318359375, 1e-12);  // 54 / 4096, by Python too.
  EXPECT_NEAR(RandomizationTest(a, b, 10000, 1), 0.01318359375, 0.006);
  EXPECT_NEAR(RandomizationTest(a, b, 10000, 99), 0.01318359375, 0.006);
}

TEST(RandomizationTest, SeededAndSymmetric) {
  const std::vector<double> a = {0.2, 0.4, 0.1, 0.5, 0.3, 0.25, 0.6};
  const std::vector<double> b = {0.25, 0.35, 0.2, 0.55, 0.3, 0.2, 0.7};
  const double p = RandomizationTest(a, b, 10000, 7);
  EXPECT_EQ(RandomizationTest(a, b, 10000, 7), p);  // Same seed, same p.
  EXPECT_EQ(RandomizationTest(b, a, 10000, 7), p);  // Two-sided: swapping the runs keeps p.
  EXPECT_GT(p, 0);
  EXPECT_LE(p, 1);
  // No difference at all: every trial is as extreme; nothing to compare: 1.
  EXPECT_EQ(RandomizationTest(a, a, 10000, 7), 1);
  EXPECT_EQ(RandomizationTest({}, {}, 10000, 7), 1);
  // More topics than one 64-bit draw covers.
  std::vector<double> x(150), y(150);
  for (int i = 0; i < 150; ++i) {
    x[i] = 0.3 + 0.001 * (i % 17);
    y[i] = x[i] + (i % 3 == 0 ? 0.02 : -0.005);
  }
  const double p150 = RandomizationTest(x, y, 2000, 3);
  EXPECT_GT(p150, 0);
  EXPECT_LT(p150, 1);
}

}  // namespace
}  // namespace dyad::eval
