#include "stats.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>

#include "mem.h"

void xo_moments_add(struct xo_moments *m, double x)
{
	m->n += 1;
	double d = x - m->mean;
	m->mean += d / m->n;
	m->m2 += d * (x - m->mean);
}

double xo_moments_var(const struct xo_moments *m)
{
	return m->n < 2 ? 0 : m->m2 / (m->n - 1);
}

double xo_moments_sd(const struct xo_moments *m)
{
	return sqrt(xo_moments_var(m));
}

double xo_normal_cdf(double z)
{
	return 0.5 * erfc(-z / M_SQRT2);
}

double xo_normal_sf(double z)
{
	return 0.5 * erfc(z / M_SQRT2);
}

/* Wichura, "The percentage points of the normal distribution",
 * Applied Statistics 37 (1988), algorithm AS 241 (PPND16). */
double xo_normal_quantile(double p)
{
	if (!(p > 0 && p < 1))
		return p == 0 ? -INFINITY : p == 1 ? INFINITY : NAN;
	double q = p - 0.5, r, x;
	if (fabs(q) <= 0.425) {
		r = 0.180625 - q * q;
		return q * (((((((2509.0809287301226727 * r + 33430.575583588128105) * r +
				 67265.770927008700853) * r + 45921.953931549871457) * r +
			      13731.693765509461125) * r + 1971.5909503065514427) * r +
			    133.14166789178437745) * r + 3.387132872796366608) /
		       (((((((5226.495278852545925 * r + 28729.085735721942674) * r +
			     39307.89580009271061) * r + 21213.794301586595867) * r +
			   5394.1960214247511077) * r + 687.1870074920579083) * r +
			 42.313330701600911252) * r + 1.0);
	}
	r = q < 0 ? p : 1 - p;
	r = sqrt(-log(r));
	if (r <= 5) {
		r -= 1.6;
		x = (((((((7.7454501427834140764e-4 * r + 0.0227238449892691845833) * r +
			  0.24178072517745061177) * r + 1.27045825245236838258) * r +
		       3.64784832476320460504) * r + 5.7694972214606914055) * r +
		     4.6303378461565452959) * r + 1.42343711074968357734) /
		    (((((((1.05075007164441684324e-9 * r + 5.475938084995344946e-4) * r +
			  0.0151986665636164571966) * r + 0.14810397642748007459) * r +
		       0.68976733498510000455) * r + 1.6763848301838038494) * r +
		     2.05319162663775882187) * r + 1.0);
	} else {
		r -= 5;
		x = (((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r +
			  0.0012426609473880784386) * r + 0.026532189526576123093) * r +
		       0.29656057182850489123) * r + 1.7848265399172913358) * r +
		     5.4637849111641143699) * r + 6.6579046435011037772) /
		    (((((((2.04426310338993978564e-15 * r + 1.4215117583164458887e-7) * r +
			  1.8463183175100546818e-5) * r + 7.868691311456132591e-4) * r +
		       0.0148753612908506148525) * r + 0.13692988092273580531) * r +
		     0.59983220655588793769) * r + 1.0);
	}
	return q < 0 ? -x : x;
}

/* One step of the modified Lentz method: c and d updated for the next
 * partial numerator; returns the factor to multiply the fraction by. */
#define LENTZ_TINY 1e-300

static double lentz_step(double *c, double *d, double num)
{
	*d = 1 + num * *d;
	*c = 1 + num / *c;
	if (fabs(*d) < LENTZ_TINY)
		*d = LENTZ_TINY;
	if (fabs(*c) < LENTZ_TINY)
		*c = LENTZ_TINY;
	*d = 1 / *d;
	return *d * *c;
}

/* The continued fraction of I_x(a, b), by the modified Lentz method;
 * converges fast for x < (a + 1) / (a + b + 2). */
static double beta_fraction(double a, double b, double x)
{
	double c = 1, d = 1 - (a + b) * x / (a + 1);
	if (fabs(d) < LENTZ_TINY)
		d = LENTZ_TINY;
	d = 1 / d;
	double f = d;
	for (int m = 1; m <= 10000; m++) {
		double m2 = 2.0 * m;
		/* The even step, then the odd one. */
		f *= lentz_step(&c, &d, m * (b - m) * x / ((a + m2 - 1) * (a + m2)));
		double delta = lentz_step(&c, &d, -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1)));
		f *= delta;
		if (fabs(delta - 1) < 1e-15)
			break;
	}
	return f;
}

double xo_betainc(double a, double b, double x)
{
	if (!(a > 0 && b > 0 && x >= 0 && x <= 1))
		return NAN;
	if (x == 0 || x == 1)
		return x;
	double lfront = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x);
	if (x < (a + 1) / (a + b + 2))
		return exp(lfront) * beta_fraction(a, b, x) / a;
	/* The symmetry I_x(a, b) = 1 - I_{1-x}(b, a) keeps the fraction in
	 * its fast region. */
	return 1 - exp(lfront) * beta_fraction(b, a, 1 - x) / b;
}

/* P(|T| >= |t|) = I_{df/(df+t^2)}(df/2, 1/2). */
double xo_t_p2(double t, double df)
{
	if (isnan(t) || !(df > 0))
		return NAN;
	if (isinf(t))
		return 0;
	return xo_betainc(df / 2, 0.5, df / (df + t * t));
}

double xo_t_cdf(double t, double df)
{
	double tail = xo_t_p2(t, df) / 2;
	return t > 0 ? 1 - tail : tail;
}

int xo_welch(const struct xo_moments *a, const struct xo_moments *b, struct xo_test *out)
{
	out->stat = out->df = out->p = NAN;
	if (a->n < 2 || b->n < 2)
		return -1;
	double va = xo_moments_var(a) / a->n, vb = xo_moments_var(b) / b->n;
	double se2 = va + vb;
	if (!(se2 > 0))
		return -1;
	out->stat = (a->mean - b->mean) / sqrt(se2);
	out->df = se2 * se2 / (va * va / (a->n - 1) + vb * vb / (b->n - 1));
	out->p = xo_t_p2(out->stat, out->df);
	return 0;
}

int xo_prop_ztest(double k1, double n1, double k2, double n2, struct xo_test *out)
{
	out->stat = out->p = NAN;
	out->df = 0;
	if (!(n1 > 0 && n2 > 0))
		return -1;
	double pooled = (k1 + k2) / (n1 + n2);
	double se = sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
	if (!(se > 0))
		return -1;
	out->stat = (k1 / n1 - k2 / n2) / se;
	out->p = 2 * xo_normal_sf(fabs(out->stat));
	return 0;
}

struct ranked {
	double v;
	size_t i;
};

static int by_value(const void *x, const void *y)
{
	const struct ranked *a = x, *b = y;
	if (a->v < b->v)
		return -1;
	if (a->v > b->v)
		return 1;
	return a->i < b->i ? -1 : a->i > b->i;
}

void xo_bh_qvalues(const double *p, double *q, size_t n)
{
	if (n == 0)
		return;
	struct ranked *r = xo_malloc(n * sizeof *r);
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		if (isnan(p[i]))
			q[i] = NAN; /* untestable: neither counted nor adjusted */
		else
			r[m++] = (struct ranked){ p[i], i };
	}
	qsort(r, m, sizeof *r, by_value);
	double running = 1;
	for (size_t k = m; k-- > 0;) {
		double v = r[k].v * (double)m / (double)(k + 1);
		if (v < running)
			running = v;
		q[r[k].i] = running;
	}
	free(r);
}

double xo_auc(const double *score, const int *label, size_t n)
{
	struct ranked *r = xo_malloc((n ? n : 1) * sizeof *r);
	for (size_t i = 0; i < n; i++)
		r[i] = (struct ranked){ score[i], i };
	qsort(r, n, sizeof *r, by_value);
	double pos = 0, rank_sum = 0;
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && r[j].v == r[i].v)
			j++;
		double mid = (double)(i + 1 + j) / 2; /* the mean of ranks i+1..j */
		for (size_t k = i; k < j; k++) {
			if (label[r[k].i]) {
				pos++;
				rank_sum += mid;
			}
		}
		i = j;
	}
	free(r);
	double neg = (double)n - pos;
	if (pos == 0 || neg == 0)
		return NAN;
	return (rank_sum - pos * (pos + 1) / 2) / (pos * neg);
}

double xo_log_loss(const double *p, const int *label, size_t n)
{
	double sum = 0;
	for (size_t i = 0; i < n; i++) {
		double v = fmin(fmax(p[i], 1e-15), 1 - 1e-15);
		sum -= label[i] ? log(v) : log1p(-v);
	}
	return n ? sum / (double)n : NAN;
}

double xo_round(double x, int d)
{
	if (!isfinite(x))
		return x;
	double f = pow(10, d), v = x * f;
	double fl = floor(v), frac = v - fl;
	/* 0.285 * 100 is 28.4999...: a half within rounding noise is a half. */
	double tol = 1e-9 * fmax(1, fabs(v));
	double r;
	if (fabs(frac - 0.5) <= tol)
		r = v >= 0 ? fl + 1 : fl;
	else
		r = round(v);
	r /= f;
	return r == 0 ? 0 : r; /* no "-0" in output */
}
