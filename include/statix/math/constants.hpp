#pragma once

// Mathematical constants as double literals with more digits than a double
// holds, so each rounds to the nearest double (values from a 40-digit evaluation).
namespace statix::math {

inline constexpr double pi = 3.14159265358979323846264338327950288;
inline constexpr double two_pi = 6.28318530717958647692528676655900577;
inline constexpr double half_pi = 1.57079632679489661923132169163975144;
inline constexpr double pi_squared = 9.86960440108935861883449099987615114;
inline constexpr double e = 2.71828182845904523536028747135266250;

inline constexpr double log_pi = 1.14472988584940017414342735135305871;
inline constexpr double log_two = 0.693147180559945309417232121458176568;
inline constexpr double log_half = -0.693147180559945309417232121458176568;
inline constexpr double log_ten = 2.30258509299404568401799145468436421;
inline constexpr double log_two_pi = 1.83787706640934548356065947281123528;
inline constexpr double half_log_two_pi = 0.91893853320467274178032973640561764;
inline constexpr double log_sqrt_two_pi = half_log_two_pi;
inline constexpr double log_sqrt_pi = 0.572364942924700087071713675676529356;

inline constexpr double sqrt_two = 1.41421356237309504880168872420969808;
inline constexpr double inv_sqrt_two = 0.707106781186547524400844362104849039;
inline constexpr double sqrt_pi = 1.77245385090551602729816748334114518;
inline constexpr double inv_sqrt_pi = 0.564189583547756286948079451560772586;
inline constexpr double two_over_sqrt_pi = 1.12837916709551257389615890312154517;
inline constexpr double sqrt_two_pi = 2.50662827463100050241576528481104525;
inline constexpr double inv_sqrt_two_pi = 0.398942280401432677939946059934381868;

inline constexpr double euler_gamma = 0.577215664901532860606512090082402431;

// Machine epsilon of double (2^-52) and its logarithm: below log_epsilon,
// 1 + exp(x) rounds to 1, which the log1p_exp family uses to pick a branch.
inline constexpr double epsilon = 2.220446049250313080847263336181640625e-16;
inline constexpr double log_epsilon = -36.0436533891171560896960703158251815;

} // namespace statix::math
