/* A fault injector for the crash-safety tests (tests/t071x-*.sh),
 * loaded with LD_PRELOAD into a tool. It counts the calls that change
 * files (write, pwrite, writev, fflush, fsync, fdatasync, ftruncate,
 * rename, unlink: what a database commit and an atomic file are made
 * of) and, at the Nth, does what the environment asks:
 *
 *   XO_FAULT_KILL_AT=N   the process kills itself with SIGKILL before
 *                        call N is made: a crash at that exact point
 *   XO_FAULT_FULL_AT=N   call N and every later write fails with ENOSPC:
 *                        the disk fills up at that point (stdio writes
 *                        to files fail when flushed: glibc's own writes
 *                        cannot be wrapped)
 *   XO_FAULT_COUNT=FILE  the number of calls made is written to FILE at
 *                        exit, to know how many points a run has
 *   XO_FAULT_SYNCS=FILE  the points of the run's first fsync and
 *                        fdatasync calls, one a line, written to FILE at
 *                        exit: a test can aim at what follows a sync
 *
 * A single-threaded writer makes the same calls in the same order on
 * every run with the same input, so point N is the same moment each
 * time. Built by the tests themselves: cc -shared -fPIC -o killat.so
 * tests/killat.c -ldl.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

static long kill_at = -1, full_at = -1;
static long calls;
static const char *count_file, *syncs_file;
static long syncs[64];
static int n_syncs;

__attribute__((constructor)) static void setup(void)
{
	const char *s;
	if ((s = getenv("XO_FAULT_KILL_AT")) && *s)
		kill_at = atol(s);
	if ((s = getenv("XO_FAULT_FULL_AT")) && *s)
		full_at = atol(s);
	count_file = getenv("XO_FAULT_COUNT");
	syncs_file = getenv("XO_FAULT_SYNCS");
}

static void write_list(const char *file, const long *v, int n)
{
	if (!file || !*file)
		return;
	FILE *fp = fopen(file, "w");
	if (!fp)
		return;
	for (int i = 0; i < n; i++)
		fprintf(fp, "%ld\n", v[i]);
	fclose(fp);
}

__attribute__((destructor)) static void report(void)
{
	long n = __atomic_load_n(&calls, __ATOMIC_SEQ_CST);
	write_list(count_file, &n, 1);
	write_list(syncs_file, syncs, n_syncs);
}

/* Count a call; 1 when it must fail with ENOSPC. is_write: the call
 * adds data (a full disk refuses it; syncs, renames and unlinks of a
 * full disk still work). */
static int fault(int is_write)
{
	long n = __atomic_add_fetch(&calls, 1, __ATOMIC_SEQ_CST);
	if (kill_at > 0 && n >= kill_at)
		raise(SIGKILL);
	if (full_at > 0 && n >= full_at && is_write) {
		errno = ENOSPC;
		return 1;
	}
	return 0;
}

#define NEXT(name) \
	static __typeof__(name) *next_##name; \
	if (!next_##name) \
		next_##name = (__typeof__(name) *)dlsym(RTLD_NEXT, #name)

ssize_t write(int fd, const void *buf, size_t n)
{
	NEXT(write);
	if (fault(fd > 2))
		return -1;
	return next_write(fd, buf, n);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
	NEXT(pwrite);
	if (fault(1))
		return -1;
	return next_pwrite(fd, buf, n, off);
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off64_t off)
{
	NEXT(pwrite64);
	if (fault(1))
		return -1;
	return next_pwrite64(fd, buf, n, off);
}

ssize_t writev(int fd, const struct iovec *iov, int n)
{
	NEXT(writev);
	if (fault(fd > 2))
		return -1;
	return next_writev(fd, iov, n);
}

int fflush(FILE *fp)
{
	NEXT(fflush);
	if (fault(fp && fileno(fp) > 2))
		return EOF;
	return next_fflush(fp);
}

/* A sync: counted, and its point kept for XO_FAULT_SYNCS. */
static void fault_sync(void)
{
	fault(0);
	if (n_syncs < (int)(sizeof syncs / sizeof *syncs))
		syncs[n_syncs++] = __atomic_load_n(&calls, __ATOMIC_SEQ_CST);
}

int fsync(int fd)
{
	NEXT(fsync);
	fault_sync();
	return next_fsync(fd);
}

int fdatasync(int fd)
{
	NEXT(fdatasync);
	fault_sync();
	return next_fdatasync(fd);
}

int ftruncate(int fd, off_t len)
{
	NEXT(ftruncate);
	if (fault(1))
		return -1;
	return next_ftruncate(fd, len);
}

int ftruncate64(int fd, off64_t len)
{
	NEXT(ftruncate64);
	if (fault(1))
		return -1;
	return next_ftruncate64(fd, len);
}

int rename(const char *from, const char *to)
{
	NEXT(rename);
	fault(0);
	return next_rename(from, to);
}

int unlink(const char *path)
{
	NEXT(unlink);
	fault(0);
	return next_unlink(path);
}
