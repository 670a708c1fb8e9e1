#include "review.h"

#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "decide.h"
#include "diag.h"
#include "jpath.h"
#include "mem.h"
#include "out.h"
#include "xtime.h"

/* ================================================================
 * A line-reading shell: Readline on a terminal, plain lines otherwise
 * ================================================================ */

struct shell;
/* Candidates for word number pos (1: the first argument) of a command,
 * appended to out NUL-separated. */
typedef void (*complete_fn)(struct shell *sh, const char *cmd, int pos, const char *prev,
			    struct xo_buf *out);

struct shell {
	const char *prompt;
	const char *const *commands;
	complete_fn complete;
	void *arg;
	int tty;
	char *history;          /* file, or NULL */
	char *line;             /* plain mode buffer */
	size_t cap;
};

/* Readline's completion hooks are global. */
static struct shell *active;
static struct xo_buf candidates;
static size_t candidate_at;

static char *candidate_gen(const char *text, int state)
{
	size_t len = strlen(text);
	if (state == 0)
		candidate_at = 0;
	while (candidate_at < candidates.len) {
		const char *c = candidates.data + candidate_at;
		candidate_at += strlen(c) + 1;
		if (strncmp(c, text, len) == 0)
			return xo_strdup(c);
	}
	return NULL;
}

static char **attempt_completion(const char *text, int start, int end)
{
	(void)end;
	rl_attempted_completion_over = 1; /* never fall back to file names */
	xo_buf_reset(&candidates);
	/* Which word is being completed, and the words before it. */
	char *before = xo_strndup(rl_line_buffer, (size_t)start);
	char *words[3] = { NULL, NULL, NULL };
	int pos = 0;
	for (char *w = strtok(before, " \t"); w; w = strtok(NULL, " \t")) {
		if (pos < 3)
			words[pos] = w;
		pos++;
	}
	if (pos == 0) {
		for (const char *const *c = active->commands; *c; c++) {
			xo_buf_adds(&candidates, *c);
			xo_buf_addc(&candidates, '\0');
		}
	} else if (active->complete) {
		active->complete(active, words[0], pos, pos >= 2 ? words[pos - 1 < 3 ? pos - 1 : 2] : NULL,
				 &candidates);
	}
	free(before);
	return rl_completion_matches(text, candidate_gen);
}

static void shell_open(struct shell *sh, const char *name, const char *prompt,
		       const char *const *commands, complete_fn complete, void *arg)
{
	memset(sh, 0, sizeof *sh);
	sh->prompt = prompt;
	sh->commands = commands;
	sh->complete = complete;
	sh->arg = arg;
	sh->tty = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
	if (!sh->tty)
		return;
	/* The terminal's character set for input; numbers stay C. */
	setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C");
	rl_readline_name = name;
	rl_attempted_completion_function = attempt_completion;
	active = sh;
	const char *h = getenv("XO_HISTORY");
	if (h) {
		if (*h)
			sh->history = xo_strdup(h);
	} else if ((h = getenv("HOME")) && *h) {
		struct xo_buf p = XO_BUF_INIT;
		xo_buf_printf(&p, "%s/.xo_decide_history", h);
		sh->history = xo_buf_steal(&p);
	}
	using_history();
	if (sh->history)
		read_history(sh->history);
}

static void shell_close(struct shell *sh)
{
	if (sh->tty && sh->history) {
		stifle_history(1000);
		if (write_history(sh->history) != 0)
			xo_warn("%s: cannot save history: %s", sh->history, strerror(errno));
	}
	if (sh->tty) {
		clear_history();
		rl_attempted_completion_function = NULL;
	}
	active = NULL;
	xo_buf_free(&candidates);
	free(sh->history);
	free(sh->line);
	sh->history = sh->line = NULL;
}

/* The next line without its newline, NULL at the end. The caller frees. */
static char *shell_read(struct shell *sh)
{
	fflush(stdout);
	if (sh->tty) {
		char *line = readline(sh->prompt);
		if (line && *line)
			add_history(line);
		return line;
	}
	ssize_t n = getline(&sh->line, &sh->cap, stdin);
	if (n < 0)
		return NULL;
	while (n > 0 && (sh->line[n - 1] == '\n' || sh->line[n - 1] == '\r'))
		sh->line[--n] = '\0';
	return xo_strdup(sh->line);
}

/* Split off the first word of *s (blanks around it skipped). */
static char *next_word(char **s)
{
	char *p = *s;
	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p) {
		*s = p;
		return NULL;
	}
	char *w = p;
	while (*p && *p != ' ' && *p != '\t')
		p++;
	if (*p)
		*p++ = '\0';
	while (*p == ' ' || *p == '\t')
		p++;
	*s = p;
	return w;
}

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void say(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (vprintf(fmt, ap) < 0)
		xo_die(XO_EXIT_OUTPUT, "write error on standard output: %s", strerror(errno));
	va_end(ap);
}

static void add_word(struct xo_buf *out, const char *w)
{
	xo_buf_adds(out, w);
	xo_buf_addc(out, '\0');
}

static void add_xid(const char *xid, void *out)
{
	add_word(out, xid);
}

/* ================================================================
 * The review queue
 * ================================================================ */

static const char *const review_commands[] = {
	"list", "show", "approve", "reject", "change", "help", "quit", NULL,
};

static const char review_help[] =
	"  list [pending|approved|rejected|changed|all]   the queue (default pending)\n"
	"  show ID|XID                  a decision (or a customer's) with the whole trace\n"
	"  approve ID [REASON]          approve it: the contact is made now\n"
	"  reject ID REASON             reject it: no contact\n"
	"  change ID action NAME [REASON]\n"
	"  change ID channel NAME [REASON]\n"
	"                               approve it with another action or channel\n"
	"  help                         this list\n"
	"  quit                         leave (also end of input)\n";

struct review_session {
	struct xo_dstate *state;
	const struct xo_rules *rules;
	const char *reviewer;
};

static void review_complete(struct shell *sh, const char *cmd, int pos, const char *prev,
			    struct xo_buf *out)
{
	struct review_session *rs = sh->arg;
	if (strcmp(cmd, "list") == 0 && pos == 1) {
		const char *st[] = { "pending", "approved", "rejected", "changed", "all" };
		for (size_t i = 0; i < 5; i++)
			add_word(out, st[i]);
	} else if (pos == 1 && strcmp(cmd, "help") != 0 && strcmp(cmd, "quit") != 0) {
		int show = strcmp(cmd, "show") == 0;
		size_t n;
		struct xo_review *v = xo_dstate_reviews(rs->state, show ? NULL : "pending", &n);
		for (size_t i = 0; i < n; i++) {
			char id[24];
			snprintf(id, sizeof id, "%lld", (long long)v[i].id);
			add_word(out, id);
			if (show)
				add_word(out, v[i].xid); /* "show XID" shows all of theirs */
		}
		xo_reviews_free(v, n);
	} else if (strcmp(cmd, "change") == 0 && pos == 2) {
		add_word(out, "action");
		add_word(out, "channel");
	} else if (strcmp(cmd, "change") == 0 && pos == 3 && rs->rules) {
		for (size_t i = 0; i < rs->rules->n_actions; i++) {
			const struct xo_action *a = &rs->rules->actions[i];
			add_word(out, strcmp(prev, "channel") == 0 ? a->channel : a->name);
		}
	}
}

static void print_time(const char *label, xo_time_t t)
{
	char ts[XO_TIME_BUFSIZE];
	xo_time_format(t, ts);
	say("%s%s", label, ts);
}

static const char *shown_xid(const struct xo_review *r)
{
	return r->xid;
}

/* What a review stands for now: a change's action and channel, else
 * the decision's. */
static const char *shown_action(const struct xo_review *r)
{
	return r->new_action ? r->new_action : r->action;
}

static const char *shown_channel(const struct xo_review *r)
{
	return r->new_channel ? r->new_channel : r->channel;
}

/* A column as wide as its widest value, and at least WIDTH: xo-merge's
 * xids (17 characters) and long action names keep the columns lined up.
 * Past 200 a value only overflows its own column: printf's width is an
 * int, and one odd name should not push every line out. */
static int column_width(const struct xo_review *v, size_t n, int width,
			const char *(*value)(const struct xo_review *))
{
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(value(&v[i]));
		if (len > (size_t)width)
			width = len > 200 ? 200 : (int)len;
	}
	return width;
}

static int list_reviews(struct xo_dstate *s, const char *status)
{
	size_t n;
	struct xo_review *v = xo_dstate_reviews(s, status, &n);
	int wx = column_width(v, n, 14, shown_xid), wa = column_width(v, n, 20, shown_action),
	    wc = column_width(v, n, 8, shown_channel);
	if (n == 0)
		say("no %s reviews\n", status ? status : "");
	else
		say("%5s  %-8s  %-*s  %-*s  %-*s  %-20s  %s\n", "ID", "STATUS", wx, "XID", wa,
		    "ACTION", wc, "CHANNEL", "QUEUED", "WHY");
	for (size_t i = 0; i < n; i++) {
		char ts[XO_TIME_BUFSIZE];
		xo_time_format(v[i].created, ts);
		say("%5lld  %-8s  %-*s  %-*s  %-*s  %-20s  %s\n", (long long)v[i].id, v[i].status, wx,
		    v[i].xid, wa, shown_action(&v[i]), wc, shown_channel(&v[i]), ts, v[i].reason);
	}
	xo_reviews_free(v, n);
	return XO_EXIT_OK;
}

int xo_review_list(struct xo_dstate *s, const char *status)
{
	list_reviews(s, status);
	if (fflush(stdout) != 0)
		xo_die(XO_EXIT_OUTPUT, "write error on standard output: %s", strerror(errno));
	return XO_EXIT_OK;
}

static void show_review(struct review_session *rs, int64_t id)
{
	struct xo_review *r = xo_dstate_review(rs->state, id);
	if (!r) {
		say("error: no review %lld\n", (long long)id);
		return;
	}
	say("review %lld: %s\n", (long long)r->id, r->status);
	say("  xid:       %s\n", r->xid);
	say("  action:    %s by %s\n", r->action, r->channel);
	print_time("  queued:    ", r->created);
	say(" (%s)\n", r->reason);
	say("  decision:  %s\n", r->decision_id);
	if (r->verdict_ts) {
		say("  verdict:   %s by %s", r->status, r->reviewer ? r->reviewer : "?");
		print_time(" at ", r->verdict_ts);
		say(": %s\n", r->verdict_reason ? r->verdict_reason : "");
		if (r->new_action || r->new_channel)
			say("  changed:   %s by %s\n", shown_action(r), shown_channel(r));
	}
	json_error_t err;
	json_t *j = json_loads(r->decision, 0, &err);
	if (j) {
		char *pretty = json_dumps(j, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
		say("  trace:\n%s\n", pretty ? pretty : "");
		free(pretty);
		json_decref(j);
	}
	xo_reviews_free(r, 1);
}

/* Every review of one customer, oldest first. */
static void show_customer(struct review_session *rs, const char *xid)
{
	size_t n, shown = 0;
	struct xo_review *v = xo_dstate_reviews(rs->state, NULL, &n);
	for (size_t i = 0; i < n; i++) {
		if (strcmp(v[i].xid, xid) == 0) {
			show_review(rs, v[i].id);
			shown++;
		}
	}
	if (!shown)
		say("error: no review for %s\n", xid);
	xo_reviews_free(v, n);
}

static int parse_id(const char *w, int64_t *id)
{
	char *end;
	if (!w)
		return -1;
	long long v = strtoll(w, &end, 10);
	if (*end || v <= 0)
		return -1;
	*id = v;
	return 0;
}

static void verdict(struct review_session *rs, const char *cmd, char *rest)
{
	int64_t id;
	char *w = next_word(&rest);
	if (parse_id(w, &id) != 0) {
		say("error: %s needs a review id (see 'list')\n", cmd);
		return;
	}
	enum xo_verdict v = strcmp(cmd, "approve") == 0 ? XO_VERDICT_APPROVE
			    : strcmp(cmd, "reject") == 0 ? XO_VERDICT_REJECT : XO_VERDICT_CHANGE;
	const char *new_action = NULL, *new_channel = NULL, *new_group = NULL;
	if (v == XO_VERDICT_CHANGE) {
		char *field = next_word(&rest), *value = next_word(&rest);
		if (!field || !value || (strcmp(field, "action") != 0 && strcmp(field, "channel") != 0)) {
			say("error: change ID action NAME [REASON] or change ID channel NAME [REASON]\n");
			return;
		}
		if (strcmp(field, "action") == 0) {
			new_action = value;
			const struct xo_action *a = rs->rules ? xo_rules_action(rs->rules, value) : NULL;
			if (rs->rules && !a) {
				say("error: no action %s in %s\n", value, rs->rules->path);
				return;
			}
			if (a) {
				new_channel = a->channel;
				new_group = a->group >= 0 ? rs->rules->groups[a->group].name : "";
			}
		} else {
			new_channel = value;
		}
	}
	if (v == XO_VERDICT_REJECT && !*rest) {
		say("error: reject needs a reason\n");
		return;
	}
	struct xo_buf why = XO_BUF_INIT;
	if (xo_dstate_verdict(rs->state, id, v, rs->reviewer, rest, new_action, new_channel,
			      new_group, xo_time_now(), &why) != 0)
		say("error: %s\n", xo_buf_str(&why));
	else
		say("review %lld %s by %s\n", (long long)id,
		    v == XO_VERDICT_APPROVE ? "approved" : v == XO_VERDICT_REJECT ? "rejected" : "changed",
		    rs->reviewer);
	xo_buf_free(&why);
}

int xo_review_shell(struct xo_dstate *s, const struct xo_rules *rules, const char *reviewer)
{
	struct review_session rs = { s, rules, reviewer };
	if (!rs.reviewer)
		rs.reviewer = getenv("USER") && *getenv("USER") ? getenv("USER") : "unknown";
	struct shell sh;
	shell_open(&sh, "xo-decide-review", "review> ", review_commands, review_complete, &rs);
	if (sh.tty) {
		size_t n;
		struct xo_review *v = xo_dstate_reviews(s, "pending", &n);
		say("%zu pending review%s; 'help' lists the commands.\n", n, n == 1 ? "" : "s");
		xo_reviews_free(v, n);
	}
	char *line;
	while ((line = shell_read(&sh)) != NULL) {
		char *rest = line, *cmd = next_word(&rest);
		int64_t id;
		if (!cmd || cmd[0] == '#') {
			/* blank or a comment */
		} else if (strcmp(cmd, "quit") == 0 || strcmp(cmd, "exit") == 0) {
			free(line);
			break;
		} else if (strcmp(cmd, "help") == 0) {
			say("%s", review_help);
		} else if (strcmp(cmd, "list") == 0) {
			char *st = next_word(&rest);
			if (st && strcmp(st, "all") == 0)
				st = NULL;
			else if (!st)
				st = "pending";
			list_reviews(s, st);
		} else if (strcmp(cmd, "show") == 0) {
			char *what = next_word(&rest);
			if (!what)
				say("error: show needs a review id or an xid (see 'list')\n");
			else if (parse_id(what, &id) == 0)
				show_review(&rs, id);
			else
				show_customer(&rs, what);
		} else if (strcmp(cmd, "approve") == 0 || strcmp(cmd, "reject") == 0 ||
			   strcmp(cmd, "change") == 0) {
			verdict(&rs, cmd, rest);
		} else {
			say("error: unknown command '%s'; 'help' lists them\n", cmd);
		}
		free(line);
	}
	if (sh.tty)
		say("\n");
	shell_close(&sh);
	if (fflush(stdout) != 0)
		xo_die(XO_EXIT_OUTPUT, "write error on standard output: %s", strerror(errno));
	return XO_EXIT_OK;
}

int xo_review_export(struct xo_dstate *s, int all, int mark)
{
	const char *statuses[] = { "approved", "changed" };
	struct xo_review *v[2];
	size_t n[2];
	for (int k = 0; k < 2; k++)
		v[k] = xo_dstate_reviews(s, statuses[k], &n[k]);
	/* In the order of the queue, whatever the verdict. */
	size_t i = 0, j = 0;
	struct xo_buf line = XO_BUF_INIT;
	while (i < n[0] || j < n[1]) {
		struct xo_review *r = j >= n[1] || (i < n[0] && v[0][i].id < v[1][j].id) ? &v[0][i++]
											  : &v[1][j++];
		if (r->exported && !all)
			continue;
		json_t *o = json_object();
		char ts[XO_TIME_BUFSIZE];
		json_object_set_new(o, "review_id", json_integer(r->id));
		json_object_set_new(o, "decision_id", json_string(r->decision_id));
		json_object_set_new(o, "xid", json_string(r->xid));
		json_object_set_new(o, "action", json_string(shown_action(r)));
		json_object_set_new(o, "channel", json_string(shown_channel(r)));
		json_object_set_new(o, "verdict", json_string(r->status));
		json_object_set_new(o, "reviewer", json_string(r->reviewer ? r->reviewer : ""));
		xo_time_format(r->verdict_ts, ts);
		json_object_set_new(o, "verdict_at", json_string(ts));
		json_object_set_new(o, "verdict_reason", json_string(r->verdict_reason ? r->verdict_reason : ""));
		if (r->new_action || r->new_channel) {
			json_object_set_new(o, "proposed_action", json_string(r->action));
			json_object_set_new(o, "proposed_channel", json_string(r->channel));
		}
		json_object_set_new(o, "review_reason", json_string(r->reason));
		json_t *dec = json_loads(r->decision, 0, NULL);
		if (dec)
			json_object_set_new(o, "decision", dec);
		xo_out_json(o);
		json_decref(o);
		if (mark)
			xo_dstate_mark_exported(s, r->id);
	}
	xo_buf_free(&line);
	xo_reviews_free(v[0], n[0]);
	xo_reviews_free(v[1], n[1]);
	xo_out_finish();
	return XO_EXIT_OK;
}

/* ================================================================
 * The what-if shell
 * ================================================================ */

static const char *const whatif_commands[] = {
	"load", "record", "set", "unset", "show", "decide", "json", "eval", "reload", "rules",
	"help", "quit", NULL,
};

static const char whatif_help[] =
	"  load XID            the customer's stored record (--context, files, --profiles)\n"
	"  record JSON         use this record (a line starting with { does the same)\n"
	"  set PATH VALUE      change a field (VALUE is JSON, or else a string)\n"
	"  unset PATH          remove a field\n"
	"  show                the record\n"
	"  decide              the decision and its trace (after every change too)\n"
	"  json                the decision as xo-decide writes it\n"
	"  eval EXPR           the value of an expression on the record\n"
	"  reload              read the rules file again after editing it\n"
	"  rules               the actions of the rules\n"
	"  help                this list\n"
	"  quit                leave (also end of input)\n";

struct whatif {
	const char *rules_path;
	struct xo_rules *rules;
	struct xo_decider *decider, *json_decider;
	const struct xo_join *join;
	struct xo_dstate *state;
	int top;
	xo_time_t as_of;
	json_t *rec;
};

static void whatif_deciders(struct whatif *w)
{
	xo_decider_free(w->decider);
	xo_decider_free(w->json_decider);
	struct xo_decide_opts o = { w->top, 0, 1, 1, 0 };
	w->decider = xo_decider_new(w->rules, w->state, &o);
	o.explain = 0;
	w->json_decider = xo_decider_new(w->rules, w->state, &o);
}

static void add_paths(struct xo_buf *out, const json_t *v, struct xo_buf *prefix)
{
	const char *key;
	json_t *sub;
	if (!json_is_object(v))
		return;
	json_object_foreach((json_t *)v, key, sub) {
		size_t keep = prefix->len;
		if (keep)
			xo_buf_addc(prefix, '.');
		xo_buf_adds(prefix, key);
		add_word(out, xo_buf_str(prefix));
		add_paths(out, sub, prefix);
		prefix->len = keep;
		prefix->data[keep] = '\0';
	}
}

static void whatif_complete(struct shell *sh, const char *cmd, int pos, const char *prev,
			    struct xo_buf *out)
{
	struct whatif *w = sh->arg;
	(void)prev;
	if (pos != 1)
		return;
	if (strcmp(cmd, "load") == 0) {
		xo_join_each_xid(w->join->context, add_xid, out);
		xo_join_each_xid(w->join->profiles, add_xid, out);
	} else if ((strcmp(cmd, "set") == 0 || strcmp(cmd, "unset") == 0) && w->rec) {
		struct xo_buf prefix = XO_BUF_INIT;
		add_paths(out, w->rec, &prefix);
		xo_buf_free(&prefix);
	}
}

static void whatif_decide(struct whatif *w, int as_json)
{
	if (!w->rec) {
		say("no record yet: 'load XID' or 'record {...}'\n");
		return;
	}
	struct xo_buf out = XO_BUF_INIT, why = XO_BUF_INIT;
	xo_time_t now = w->as_of ? w->as_of : xo_time_now();
	if (xo_decide(as_json ? w->json_decider : w->decider, w->rec, now, &out, &why) < 0)
		say("error: %s\n", xo_buf_str(&why));
	else
		say("%s", xo_buf_str(&out));
	xo_buf_free(&out);
	xo_buf_free(&why);
}

static void whatif_set(struct whatif *w, char *rest, int unset)
{
	char *path_text = next_word(&rest);
	if (!w->rec) {
		say("no record yet: 'load XID' or 'record {...}'\n");
		return;
	}
	if (!path_text || (!unset && !*rest)) {
		say(unset ? "error: unset PATH\n" : "error: set PATH VALUE\n");
		return;
	}
	struct xo_buf err = XO_BUF_INIT;
	struct xo_path *p = xo_path_compile(path_text, &err);
	if (!p) {
		say("error: %s\n", xo_buf_str(&err));
		xo_buf_free(&err);
		return;
	}
	int rc;
	if (unset) {
		rc = xo_path_del(p, w->rec);
	} else {
		json_t *v = json_loads(rest, JSON_DECODE_ANY, NULL);
		rc = xo_path_set(p, w->rec, v ? v : json_string(rest));
	}
	if (rc != 0)
		say("error: cannot %s %s\n", unset ? "remove" : "set", path_text);
	else
		whatif_decide(w, 0);
	xo_path_free(p);
	xo_buf_free(&err);
}

static void whatif_record(struct whatif *w, const char *text)
{
	json_error_t err;
	json_t *j = json_loads(text, 0, &err);
	if (!json_is_object(j)) {
		say("error: not a JSON object: %s\n", j ? "another value" : err.text);
		json_decref(j);
		return;
	}
	json_decref(w->rec);
	w->rec = j;
	whatif_decide(w, 0);
}

static void whatif_eval(struct whatif *w, const char *text)
{
	struct xo_buf err = XO_BUF_INIT, out = XO_BUF_INIT;
	struct xo_expr *e = xo_expr_parse(w->rules->env, text, &err);
	if (!e) {
		say("error: %s\n", xo_buf_str(&err));
	} else {
		struct xo_expr_ctx *c = xo_expr_ctx_new(w->rules->env);
		xo_expr_ctx_reset(c, w->rec, w->as_of ? w->as_of : xo_time_now());
		struct xo_val v = xo_expr_eval(e, c);
		if (v.type == XO_VAL_ERROR)
			say("error: %s\n", xo_expr_ctx_error(c));
		else {
			xo_val_to_json(&out, &v);
			say("%s\n", xo_buf_str(&out));
		}
		xo_expr_ctx_free(c);
		xo_expr_free(e);
	}
	xo_buf_free(&err);
	xo_buf_free(&out);
}

static void whatif_reload(struct whatif *w)
{
	struct xo_buf err = XO_BUF_INIT;
	struct xo_rules *r = xo_rules_load(w->rules_path, &err);
	if (!r) {
		say("error: %s\n(the rules in use are unchanged)\n", xo_buf_str(&err));
	} else {
		xo_decider_free(w->decider);
		xo_decider_free(w->json_decider);
		w->decider = w->json_decider = NULL;
		xo_rules_free(w->rules);
		w->rules = r;
		whatif_deciders(w);
		say("reloaded %s: %zu actions\n", w->rules_path, r->n_actions);
		if (w->rec)
			whatif_decide(w, 0);
	}
	xo_buf_free(&err);
}

static void whatif_command(struct whatif *w, char *line)
{
	char *rest = line;
	while (*rest == ' ' || *rest == '\t')
		rest++;
	if (*rest == '{') {
		whatif_record(w, rest);
		return;
	}
	char *cmd = next_word(&rest);
	if (!cmd || cmd[0] == '#')
		return;
	if (strcmp(cmd, "help") == 0) {
		say("%s", whatif_help);
	} else if (strcmp(cmd, "load") == 0) {
		char *xid = next_word(&rest);
		json_t *rec = xid ? xo_join_lookup(w->join, xid) : NULL;
		if (!rec) {
			say("error: %s\n", xid ? "no such customer in the loaded records" : "load XID");
			return;
		}
		json_decref(w->rec);
		w->rec = rec;
		whatif_decide(w, 0);
	} else if (strcmp(cmd, "record") == 0) {
		whatif_record(w, rest);
	} else if (strcmp(cmd, "set") == 0 || strcmp(cmd, "unset") == 0) {
		whatif_set(w, rest, cmd[0] == 'u');
	} else if (strcmp(cmd, "show") == 0) {
		if (!w->rec) {
			say("no record yet\n");
			return;
		}
		char *s = json_dumps(w->rec, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
		say("%s\n", s ? s : "");
		free(s);
	} else if (strcmp(cmd, "decide") == 0 || strcmp(cmd, "json") == 0) {
		whatif_decide(w, cmd[0] == 'j');
	} else if (strcmp(cmd, "eval") == 0) {
		if (!w->rec)
			say("no record yet\n");
		else
			whatif_eval(w, rest);
	} else if (strcmp(cmd, "reload") == 0) {
		whatif_reload(w);
	} else if (strcmp(cmd, "rules") == 0) {
		for (size_t i = 0; i < w->rules->n_actions; i++) {
			const struct xo_action *a = &w->rules->actions[i];
			say("  %-24s %-8s %-6s line %ld\n", a->name, a->channel,
			    a->route == XO_ROUTE_HUMAN ? "human" : "auto", a->line);
		}
	} else {
		say("error: unknown command '%s'; 'help' lists them\n", cmd);
	}
}

int xo_whatif_shell(const char *rules_path, const struct xo_join *join, struct xo_dstate *s,
		    int top, xo_time_t as_of)
{
	struct whatif w = { 0 };
	struct xo_buf err = XO_BUF_INIT;
	w.rules_path = rules_path;
	w.rules = xo_rules_load(rules_path, &err);
	if (!w.rules) {
		xo_error("%s", xo_buf_str(&err));
		xo_buf_free(&err);
		return XO_EXIT_USAGE;
	}
	xo_buf_free(&err);
	w.join = join;
	w.state = s;
	w.top = top;
	w.as_of = as_of;
	whatif_deciders(&w);
	struct shell sh;
	shell_open(&sh, "xo-decide-whatif", "what-if> ", whatif_commands, whatif_complete, &w);
	if (sh.tty)
		say("what-if on %s (%zu actions); 'help' lists the commands.\n", rules_path,
		    w.rules->n_actions);
	char *line;
	while ((line = shell_read(&sh)) != NULL) {
		char *rest = line, *cmd;
		char *copy = xo_strdup(line);
		cmd = next_word(&rest);
		int quit = cmd && (strcmp(cmd, "quit") == 0 || strcmp(cmd, "exit") == 0);
		if (!quit)
			whatif_command(&w, copy);
		free(copy);
		free(line);
		if (quit)
			break;
	}
	if (sh.tty)
		say("\n");
	shell_close(&sh);
	json_decref(w.rec);
	xo_decider_free(w.decider);
	xo_decider_free(w.json_decider);
	xo_rules_free(w.rules);
	if (fflush(stdout) != 0)
		xo_die(XO_EXIT_OUTPUT, "write error on standard output: %s", strerror(errno));
	return XO_EXIT_OK;
}
