/* stats: the statistics xo-score needs, written out so that every figure
 * can be checked by hand: running moments, distribution functions,
 * two-sample tests, false-discovery control and ROC AUC.
 *
 * Nothing here allocates except xo_auc() and xo_bh_qvalues() (scratch
 * space, freed before they return). All functions are pure.
 */
#ifndef XO_STATS_H
#define XO_STATS_H

#include <stddef.h>

/* Mean and variance by Welford's method (stable for long runs). */
struct xo_moments {
	double n;
	double mean;
	double m2; /* sum of squared deviations from the mean */
};

#define XO_MOMENTS_INIT { 0, 0, 0 }

void xo_moments_add(struct xo_moments *m, double x);
/* Sample variance (divisor n - 1); 0 when n < 2. */
double xo_moments_var(const struct xo_moments *m);
double xo_moments_sd(const struct xo_moments *m);

/* Standard normal: P(Z <= z), P(Z > z), and the quantile (Wichura's
 * AS 241, about 16 digits) for 0 < p < 1. */
double xo_normal_cdf(double z);
double xo_normal_sf(double z);
double xo_normal_quantile(double p);

/* Regularized incomplete beta I_x(a, b), a, b > 0, 0 <= x <= 1
 * (continued fraction, relative error about 1e-14). NaN on bad input. */
double xo_betainc(double a, double b, double x);

/* Student's t with df > 0 degrees of freedom: P(T <= t) and the
 * two-sided p-value P(|T| >= |t|). */
double xo_t_cdf(double t, double df);
double xo_t_p2(double t, double df);

/* Welch's unequal-variance t-test of mean1 - mean2 from two samples'
 * moments. t, the Welch-Satterthwaite df and the two-sided p. Returns
 * -1 (and NaNs) when either sample has fewer than 2 values or both
 * variances are 0. */
struct xo_test {
	double stat; /* t or z */
	double df;   /* Welch df; 0 for a z-test */
	double p;    /* two-sided */
};
int xo_welch(const struct xo_moments *a, const struct xo_moments *b, struct xo_test *out);

/* Two-proportion z-test (pooled variance) of k1/n1 - k2/n2. -1 when a
 * sample is empty or the pooled proportion is 0 or 1. */
int xo_prop_ztest(double k1, double n1, double k2, double n2, struct xo_test *out);

/* Benjamini-Hochberg adjusted p-values (q-values) of p[0..n) into q. */
void xo_bh_qvalues(const double *p, double *q, size_t n);

/* Area under the ROC curve of scores for labels (1 positive, 0 not),
 * ties counted one half (the Mann-Whitney form). NaN when a class is
 * empty. */
double xo_auc(const double *score, const int *label, size_t n);

/* Mean log-loss of probabilities p (clipped to [1e-15, 1 - 1e-15]). */
double xo_log_loss(const double *p, const int *label, size_t n);

/* Round x to d decimal places, halves away from zero, with a guard
 * against binary representation error (8.125 -> 8.13 at d = 2). */
double xo_round(double x, int d);

#endif
