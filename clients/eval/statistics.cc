#include "clients/eval/statistics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

namespace dyad::eval {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The continued fraction of I_x(a, b) (Numerical Recipes' betacf, modified Lentz's method);
// converges quickly for x < (a + 1) / (a + b + 2).
double BetaContinuedFraction(double a, double b, double x) {
  constexpr int kMaxIterations = 1000;
  constexpr double kEpsilon = 1e-16;
  constexpr double kTiny = 1e-300;
  const double qab = a + b;
  const double qap = a + 1;
  const double qam = a - 1;
  double c = 1;
  double d = 1 - qab * x / qap;
  if (std::fabs(d) < kTiny) d = kTiny;
  d = 1 / d;
  double h = d;
  for (int m = 1; m <= kMaxIterations; ++m) {
    const int m2 = 2 * m;
    // Even step.
    double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1 / d;
    h *= d * c;
    // Odd step.
    aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1 / d;
    const double delta = d * c;
    h *= delta;
    if (std::fabs(delta - 1) < kEpsilon) break;
  }
  return h;
}

}  // namespace

double RegularizedIncompleteBeta(double a, double b, double x) {
  if (!(a > 0) || !(b > 0) || !(x >= 0) || !(x <= 1)) return kNaN;
  if (x == 0) return 0;
  if (x == 1) return 1;
  // x^a (1-x)^b / (a B(a, b)), through logarithms to avoid overflow.
  const double log_front =
      std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log1p(-x);
  const double front = std::exp(log_front);
  // Use the symmetry I_x(a, b) = 1 - I_{1-x}(b, a) where the fraction converges faster.
  if (x < (a + 1) / (a + b + 2)) return front * BetaContinuedFraction(a, b, x) / a;
  return 1 - front * BetaContinuedFraction(b, a, 1 - x) / b;
}

double StudentTCdf(double t, double df) {
  if (!(df > 0) || std::isnan(t)) return kNaN;
  if (std::isinf(t)) return t > 0 ? 1 : 0;
  // P(|T| >= |t|) = I_{df / (df + t^2)}(df / 2, 1 / 2).
  const double tail = RegularizedIncompleteBeta(df / 2, 0.5, df / (df + t * t));
  return t > 0 ? 1 - tail / 2 : tail / 2;
}

TTest PairedTTest(const std::vector<double>& a, const std::vector<double>& b) {
  TTest result;
  const std::size_t n = std::min(a.size(), b.size());
  if (n < 2) return {kNaN, n == 0 ? 0.0 : static_cast<double>(n) - 1, kNaN};
  double mean = 0;
  for (std::size_t i = 0; i < n; ++i) mean += b[i] - a[i];
  mean /= static_cast<double>(n);
  double sum_squares = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double deviation = (b[i] - a[i]) - mean;
    sum_squares += deviation * deviation;
  }
  result.df = static_cast<double>(n - 1);
  const double standard_error = std::sqrt(sum_squares / result.df / static_cast<double>(n));
  // Differences that are all equal (up to rounding) have no spread.
  if (standard_error <= 1e-12 * std::max(1.0, std::fabs(mean))) {
    if (std::fabs(mean) <= 1e-12) return {0, result.df, 1};
    return {mean > 0 ? std::numeric_limits<double>::infinity()
                     : -std::numeric_limits<double>::infinity(),
            result.df, 0};
  }
  result.t = mean / standard_error;
  const double tail =
      RegularizedIncompleteBeta(result.df / 2, 0.5, result.df / (result.df + result.t * result.t));
  result.p_value = std::min(1.0, tail);
  return result;
}

double RandomizationTest(const std::vector<double>& a, const std::vector<double>& b,
                         std::uint32_t permutations, std::uint64_t seed) {
  const std::size_t n = std::min(a.size(), b.size());
  if (n == 0 || permutations == 0) return 1;
  std::vector<double> differences(n);
  double observed = 0;
  double scale = 0;
  for (std::size_t i = 0; i < n; ++i) {
    differences[i] = b[i] - a[i];
    observed += differences[i];
    scale += std::fabs(differences[i]);
  }
  const double threshold = std::fabs(observed) - 1e-9 * std::max(scale, 1e-300);
  std::mt19937_64 random(seed);
  std::uint64_t at_least = 0;
  for (std::uint32_t trial = 0; trial < permutations; ++trial) {
    double sum = 0;
    std::uint64_t bits = 0;
    for (std::size_t i = 0; i < n; ++i) {
      if (i % 64 == 0) bits = random();
      sum += (bits & 1) ? -differences[i] : differences[i];
      bits >>= 1;
    }
    if (std::fabs(sum) >= threshold) ++at_least;
  }
  return static_cast<double>(at_least + 1) / static_cast<double>(permutations + 1);
}

}  // namespace dyad::eval
