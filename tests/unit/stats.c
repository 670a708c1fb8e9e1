/* Unit tests for lib/stats. Reference values are from R 4.x
 * are from scipy 1.10 (stats.t.cdf, norm.cdf/ppf, special.betainc,
 * ttest_ind(equal_var=False)) and from hand computations shown below. */
#include <math.h>
#include <stdio.h>

#include "stats.h"
#include "unit.h"

#define NEAR(got, want, tol, what)                                           \
	do {                                                                 \
		double g_ = (got), w_ = (want);                              \
		int ok_ = fabs(g_ - w_) <= (tol);                            \
		unit_result(ok_, (what), __FILE__, __LINE__);                \
		if (!ok_)                                                    \
			printf("#   got:  %.15g\n#   want: %.15g\n", g_, w_); \
	} while (0)

static void distributions(void)
{
	NEAR(xo_normal_cdf(1.96), 0.9750021048517795, 1e-14, "pnorm(1.96)");
	NEAR(xo_normal_cdf(-3), 0.0013498980316301, 1e-15, "pnorm(-3)");
	NEAR(xo_normal_sf(5), 2.866515718791939e-07, 1e-20, "upper tail at 5");
	NEAR(xo_normal_quantile(0.975), 1.959963984540054, 1e-14, "qnorm(0.975)");
	NEAR(xo_normal_quantile(0.5), 0, 1e-15, "qnorm(0.5)");
	NEAR(xo_normal_quantile(1e-10), -6.361340902404056, 1e-12, "qnorm(1e-10)");
	NEAR(xo_normal_quantile(0.3), -0.5244005127080407, 1e-14, "qnorm(0.3)");
	/* pbeta(x, a, b); I_0.5(2,2) = 0.5 by symmetry; I_x(1,1) = x. */
	NEAR(xo_betainc(2, 2, 0.5), 0.5, 1e-14, "I_0.5(2,2)");
	NEAR(xo_betainc(1, 1, 0.3), 0.3, 1e-14, "I_x(1,1) = x");
	/* I_x(a,1) = x^a. */
	NEAR(xo_betainc(3, 1, 0.4), 0.064, 1e-14, "I_x(3,1) = x^3");
	NEAR(xo_betainc(2, 3, 0.4), 0.5248, 1e-13, "pbeta(0.4,2,3)");
	NEAR(xo_betainc(0.5, 0.5, 0.25), 1.0 / 3, 1e-13, "arcsine law: 2/pi asin(sqrt .25)");
	CHECK(isnan(xo_betainc(-1, 2, 0.5)), "bad a is NaN");
	/* Student t: pt(2.0, 10) and the two-sided 2*pt(-2.228139, 10) ~ 0.05. */
	NEAR(xo_t_cdf(2.0, 10), 0.9633059826146299, 1e-12, "pt(2, 10)");
	NEAR(xo_t_cdf(-1.5, 3), 0.11529193262241141, 1e-12, "pt(-1.5, 3)");
	NEAR(xo_t_p2(2.228138851986, 10), 0.05, 1e-10, "two-sided 5% point of t10");
	/* t with 1 df is Cauchy: P(T <= 1) = 3/4. */
	NEAR(xo_t_cdf(1, 1), 0.75, 1e-13, "Cauchy");
	NEAR(xo_t_p2(0, 7), 1, 1e-15, "p at t = 0");
	NEAR(xo_t_p2(40, 1e6), 0, 1e-300, "huge t");
}

static void tests(void)
{
	/* x = 1 2 3 4 5 (mean 3, var 2.5); y = 2 4 6 (mean 4, var 4).
	 * se^2 = 2.5/5 + 4/3 = 1.833333; t = -1/sqrt(1.833333) = -0.738549;
	 * df = 1.833333^2 / (0.5^2/4 + 1.333333^2/2) = 3.361111/0.951389
	 *    = 3.532847. scipy ttest_ind(equal_var=False): p = 0.5062141716528479. */
	struct xo_moments a = XO_MOMENTS_INIT, b = XO_MOMENTS_INIT;
	for (int i = 1; i <= 5; i++)
		xo_moments_add(&a, i);
	for (int i = 2; i <= 6; i += 2)
		xo_moments_add(&b, i);
	NEAR(xo_moments_var(&a), 2.5, 1e-14, "variance of 1..5");
	struct xo_test t;
	CHECK_INT(xo_welch(&a, &b, &t), 0, "welch runs");
	NEAR(t.stat, -0.7385489458759964, 1e-12, "welch t");
	NEAR(t.df, 3.361111111111111 / 0.9513888888888888, 1e-12, "welch df");
	NEAR(t.p, 0.5062141716528479, 1e-12, "welch p");
	struct xo_moments one = XO_MOMENTS_INIT;
	xo_moments_add(&one, 1);
	CHECK_INT(xo_welch(&a, &one, &t), -1, "welch needs two values a side");
	/* 30/100 vs 20/100: pooled 0.25, se = sqrt(.25*.75*.02) = 0.0612372,
	 * z = 0.1/0.0612372 = 1.632993; p = 2*pnorm(-1.632993) = 0.102470. */
	CHECK_INT(xo_prop_ztest(30, 100, 20, 100, &t), 0, "z-test runs");
	NEAR(t.stat, 1.632993161855452, 1e-12, "z");
	NEAR(t.p, 0.1024704348597, 1e-10, "z p");
	CHECK_INT(xo_prop_ztest(0, 10, 0, 10, &t), -1, "z-test: no variance");
}

static void adjust(void)
{
	/* Sorted p .01 .03 .04 .5 times m/rank (m = 4): .04 .06 .0533 .5;
	 * running minimum from the top: .04 .0533 .0533 .5. */
	double p[] = { 0.01, 0.04, 0.03, 0.5, NAN }, q[5];
	xo_bh_qvalues(p, q, 5);
	NEAR(q[0], 0.04, 1e-15, "bh q1");
	NEAR(q[1], 0.16 / 3, 1e-15, "bh q2");
	NEAR(q[2], 0.16 / 3, 1e-15, "bh q3");
	NEAR(q[3], 0.5, 1e-15, "bh q4");
	CHECK(isnan(q[4]), "bh keeps NaN out");
}

static void ranking(void)
{
	/* Positives 0.9, 0.5, 0.4; negatives 0.5, 0.3. Pairs won: 0.9 beats
	 * both (2), 0.5 ties 0.5 (0.5) and beats 0.3 (1), 0.4 beats 0.3 (1):
	 * 4.5 of 6 = 0.75. */
	double s[] = { 0.9, 0.5, 0.4, 0.5, 0.3 };
	int y[] = { 1, 1, 1, 0, 0 };
	NEAR(xo_auc(s, y, 5), 0.75, 1e-15, "auc with a tie");
	int all[] = { 1, 1, 1, 1, 1 };
	CHECK(isnan(xo_auc(s, all, 5)), "auc needs both classes");
	/* -(log .9 + log .5 + log .6 + log .5 + log .7)/5 */
	double want = -(log(0.9) + log(0.5) + log(0.6) + log(0.5) + log(0.7)) / 5;
	double p[] = { 0.9, 0.5, 0.6, 0.5, 0.3 };
	int l[] = { 1, 1, 1, 0, 0 };
	NEAR(xo_log_loss(p, l, 5), want, 1e-15, "log loss");
}

static void rounding(void)
{
	NEAR(xo_round(0.285, 2), 0.29, 0, "0.285 -> 0.29 despite binary");
	NEAR(xo_round(-8.125, 2), -8.13, 0, "halves away from zero");
	NEAR(xo_round(33.33333, 2), 33.33, 0, "plain");
	CHECK(!signbit(xo_round(-0.001, 2)), "no negative zero");
}

int main(void)
{
	distributions();
	tests();
	adjust();
	ranking();
	rounding();
	return unit_done();
}
