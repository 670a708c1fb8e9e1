#include "spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* In the child: wire the pipes and exec; report a failed exec's errno
 * through status_fd (close-on-exec, so a successful exec closes it). */
static _Noreturn void child(const char *const *argv, int out_fd, int err_fd, int status_fd)
{
	int null_fd = open("/dev/null", O_RDONLY);
	if (null_fd < 0 || dup2(null_fd, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(err_fd, 2) < 0)
		_exit(127);
	execvp(argv[0], (char *const *)argv);
	int e = errno;
	ssize_t unused = write(status_fd, &e, sizeof e);
	(void)unused;
	_exit(127);
}

/* Read what is there from fd into b; 0 at end of file. */
static int drain(int fd, struct xo_buf *b)
{
	char chunk[16384];
	ssize_t n = read(fd, chunk, sizeof chunk);
	if (n < 0)
		return errno == EINTR || errno == EAGAIN ? 1 : 0;
	if (n > 0)
		xo_buf_add(b, chunk, (size_t)n);
	return n > 0;
}

/* Collect both streams until they close, the time runs out or the
 * output grows too big. */
static void collect(int out_fd, int err_fd, int timeout_ms, size_t max_out, struct xo_spawn *r)
{
	struct pollfd fds[2] = { { out_fd, POLLIN, 0 }, { err_fd, POLLIN, 0 } };
	struct xo_buf *bufs[2] = { &r->out, &r->err };
	long long deadline = timeout_ms > 0 ? now_ms() + timeout_ms : 0;
	int open_fds = 2;
	while (open_fds > 0) {
		int wait = -1;
		if (deadline) {
			long long left = deadline - now_ms();
			if (left <= 0) {
				r->timed_out = 1;
				return;
			}
			wait = left > 1000000 ? 1000000 : (int)left;
		}
		int n = poll(fds, 2, wait);
		if (n < 0 && errno != EINTR)
			return;
		for (int i = 0; n > 0 && i < 2; i++) {
			if (fds[i].fd < 0 || !fds[i].revents)
				continue;
			if (!drain(fds[i].fd, bufs[i])) {
				fds[i].fd = -1;
				open_fds--;
			}
		}
		if (r->out.len > max_out || r->err.len > max_out) {
			r->too_big = 1;
			return;
		}
	}
}

int xo_spawn_run(const char *const *argv, int timeout_ms, size_t max_out, struct xo_spawn *r)
{
	memset(r, 0, sizeof *r);
	r->exit_code = -1;
	int out[2], err[2], status[2];
	if (pipe(out) != 0 || pipe(err) != 0 || pipe(status) != 0 ||
	    fcntl(status[1], F_SETFD, FD_CLOEXEC) != 0)
		xo_die(XO_EXIT_INTERNAL, "pipe: %s", strerror(errno));
	pid_t pid = fork();
	if (pid < 0)
		xo_die(XO_EXIT_INTERNAL, "fork: %s", strerror(errno));
	if (pid == 0) {
		close(out[0]);
		close(err[0]);
		close(status[0]);
		child(argv, out[1], err[1], status[1]);
	}
	close(out[1]);
	close(err[1]);
	close(status[1]);
	int e;
	if (read(status[0], &e, sizeof e) == (ssize_t)sizeof e)
		r->exec_errno = e;
	close(status[0]);
	if (!r->exec_errno)
		collect(out[0], err[0], timeout_ms, max_out, r);
	if (r->timed_out || r->too_big)
		kill(pid, SIGKILL);
	close(out[0]);
	close(err[0]);
	int ws;
	while (waitpid(pid, &ws, 0) < 0) {
		if (errno != EINTR)
			xo_die(XO_EXIT_INTERNAL, "waitpid: %s", strerror(errno));
	}
	if (WIFEXITED(ws))
		r->exit_code = WEXITSTATUS(ws);
	else if (WIFSIGNALED(ws))
		r->signal = WTERMSIG(ws);
	if (r->exec_errno || r->timed_out || r->too_big)
		return -1;
	return r->exit_code == 0 ? 0 : -1;
}

void xo_spawn_describe(const struct xo_spawn *r, int timeout_ms, struct xo_buf *why)
{
	if (r->exec_errno == ENOENT)
		xo_buf_adds(why, "not found");
	else if (r->exec_errno)
		xo_buf_printf(why, "could not be run: %s", strerror(r->exec_errno));
	else if (r->timed_out)
		xo_buf_printf(why, "stopped after %d s", (timeout_ms + 999) / 1000);
	else if (r->too_big)
		xo_buf_adds(why, "stopped: its output was too large");
	else if (r->signal)
		xo_buf_printf(why, "killed by signal %d", r->signal);
	else
		xo_buf_printf(why, "exited with status %d", r->exit_code);
}

void xo_spawn_free(struct xo_spawn *r)
{
	xo_buf_free(&r->out);
	xo_buf_free(&r->err);
}
