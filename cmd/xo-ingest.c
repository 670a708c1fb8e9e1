/* xo-ingest: every channel's export into one canonical event stream.
 *
 * Reads CSV/TSV, NDJSON, JSON arrays and text logs, turns each record
 * into an event (xo-events(5)) through a map (xo-map(5)) or a preset,
 * and keeps every record it cannot use in the reject stream with why.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "diag.h"
#include "event.h"
#include "ingest.h"
#include "input.h"
#include "map.h"
#include "mem.h"
#include "out.h"
#include "preset.h"
#include "pseudo.h"
#include "rejects.h"

static const char usage[] =
	"Usage: xo-ingest (--map FILE | --preset NAME) [OPTION]... [FILE]...\n"
	"Turn exports (CSV/TSV, NDJSON, JSON arrays, logs) into xo events, one JSON\n"
	"object per line on standard output. With no FILE, or when FILE is -, read\n"
	"standard input.\n"
	"\n"
	"  -m, --map FILE             how fields become event fields (xo-map(5))\n"
	"  -p, --preset NAME          a built-in map: survey, calls, orders, weblog,\n"
	"                             social; --preset list lists them\n"
	"      --show-preset NAME     print a preset's map (to copy and edit), exit\n"
	"  -s, --source NAME          the events' source (default: the map's, else the\n"
	"                             file's name without its extension)\n"
	"      --tz ZONE              zone of times written without an offset\n"
	"                             (Europe/Rome, +01:00; default: the map's, else UTC)\n"
	"      --default-country CC   country of phone numbers written without an\n"
	"                             international prefix (IT, ES, GB, US, ...)\n"
	"  -r, --rejects FILE         keep rejected records in FILE (xo-rejects(5))\n"
	"      --strict               stop at the first rejected record\n"
	"      --hash-ids             replace identifiers by keyed pseudonyms (key from\n"
	"                             --hash-key-file, XO_HASH_KEY_FILE or XO_HASH_KEY)\n"
	"      --hash-key-file FILE   the pseudonym key (mode 0600)\n"
	"  -q, --quiet                no warnings or summary on standard error\n"
	"      --unbuffered           write each event as soon as it is made\n"
	"  -h, --help                 show this help and exit\n"
	"  -V, --version              show the version and exit\n"
	"\n"
	"Exit status: 0 all records emitted, 1 some rejected, 2 usage or map error,\n"
	"3 an input could not be read, 4 output could not be written.\n"
	"See xo-ingest(1), xo-map(5), xo-events(5).\n";

enum {
	OPT_SHOW_PRESET = XO_OPT_FIRST_TOOL,
	OPT_TZ,
	OPT_COUNTRY,
	OPT_STRICT,
	OPT_HASH_IDS,
	OPT_HASH_KEY_FILE,
};

struct options {
	const char *map_path;
	const char *preset;
	const char *rejects_path;
	struct xo_eventer_opts ev;
	int strict;
	int hash_ids;
	const char *hash_key_file;
};

/* What the run has done so far, for the summary and the exit code. */
struct totals {
	unsigned long long read, emitted, rejected;
	int files;
	int exit_code;
};

static void list_presets(void)
{
	char summary[200];
	for (unsigned i = 0; i < xo_preset_count; i++) {
		xo_preset_summary(&xo_preset_table[i], summary, sizeof summary);
		xo_out_printf("%-8s %s\n", xo_preset_table[i].name, summary);
	}
	xo_out_finish();
	exit(XO_EXIT_OK);
}

static void show_preset(const struct xo_cli *cli, const char *name)
{
	const struct xo_preset *p = xo_preset_find(name);
	if (!p)
		xo_cli_usage_error(cli, "no preset '%s' (try --preset list)", name);
	xo_out_puts(p->text);
	xo_out_finish();
	exit(XO_EXIT_OK);
}

static void parse_options(struct xo_cli *cli, int argc, char **argv, struct options *opt)
{
	static const struct option longopts[] = {
		{ "map", required_argument, NULL, 'm' },
		{ "preset", required_argument, NULL, 'p' },
		{ "show-preset", required_argument, NULL, OPT_SHOW_PRESET },
		{ "source", required_argument, NULL, 's' },
		{ "tz", required_argument, NULL, OPT_TZ },
		{ "default-country", required_argument, NULL, OPT_COUNTRY },
		{ "rejects", required_argument, NULL, 'r' },
		{ "strict", no_argument, NULL, OPT_STRICT },
		{ "hash-ids", no_argument, NULL, OPT_HASH_IDS },
		{ "hash-key-file", required_argument, NULL, OPT_HASH_KEY_FILE },
		XO_CLI_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	const char *show = NULL;
	int c;
	while ((c = getopt_long(argc, argv, "m:p:s:r:" XO_CLI_SHORTOPTS, longopts, NULL)) != -1) {
		if (xo_cli_common(cli, c))
			continue;
		switch (c) {
		case 'm': opt->map_path = optarg; break;
		case 'p': opt->preset = optarg; break;
		case OPT_SHOW_PRESET: show = optarg; break;
		case 's': opt->ev.source = optarg; break;
		case OPT_TZ: opt->ev.tz_name = optarg; break;
		case OPT_COUNTRY: opt->ev.country = optarg; break;
		case 'r': opt->rejects_path = optarg; break;
		case OPT_STRICT: opt->strict = 1; break;
		case OPT_HASH_IDS: opt->hash_ids = 1; break;
		case OPT_HASH_KEY_FILE: opt->hash_key_file = optarg; break;
		default: xo_cli_usage_error(cli, "unexpected option");
		}
	}
	xo_cli_ready(cli);
	if (show)
		show_preset(cli, show);
	if (opt->preset && strcmp(opt->preset, "list") == 0)
		list_presets();
	if (!opt->map_path == !opt->preset)
		xo_cli_usage_error(cli, "give exactly one of --map FILE and --preset NAME");
	if (opt->ev.source && !*opt->ev.source)
		xo_cli_usage_error(cli, "--source: empty name");
}

static struct xo_map *load_map(const struct xo_cli *cli, const struct options *opt)
{
	struct xo_buf err = XO_BUF_INIT;
	struct xo_map *map;
	if (opt->preset) {
		const struct xo_preset *p = xo_preset_find(opt->preset);
		if (!p)
			xo_cli_usage_error(cli, "no preset '%s' (try --preset list)", opt->preset);
		char name[64];
		snprintf(name, sizeof name, "preset %s", p->name);
		map = xo_map_parse(p->text, strlen(p->text), name, &err);
	} else {
		map = xo_map_load(opt->map_path, &err);
	}
	if (!map)
		xo_die(XO_EXIT_USAGE, "%s", xo_buf_str(&err));
	xo_buf_free(&err);
	return map;
}

static void emit_to_stdout(void *ctx, const char *event, size_t len)
{
	(void)ctx;
	xo_out_write(event, len);
	xo_out_record_end();
}

static void ingest_path(struct xo_ingest *ing, const char *path, struct totals *t)
{
	struct xo_input in;
	if (xo_input_open(&in, path) != 0) {
		xo_error("%s: %s", path, strerror(errno));
		t->exit_code = t->exit_code ? t->exit_code : XO_EXIT_INPUT;
		return;
	}
	char *source = xo_source_from_path(path);
	struct xo_ingest_counts c;
	int rc = xo_ingest_input(ing, &in, source, &c);
	if (rc && !t->exit_code)
		t->exit_code = rc;
	xo_warn("%s: %llu read, %llu emitted, %llu rejected", in.name, c.read, c.emitted, c.rejected);
	t->read += c.read;
	t->emitted += c.emitted;
	t->rejected += c.rejected;
	t->files++;
	free(source);
	xo_input_close(&in);
}

int main(int argc, char **argv)
{
	struct xo_cli cli;
	struct options opt;
	struct totals t;
	memset(&opt, 0, sizeof opt);
	memset(&t, 0, sizeof t);
	xo_cli_init(&cli, "xo-ingest", usage);
	parse_options(&cli, argc, argv, &opt);
	struct xo_map *map = load_map(&cli, &opt);
	struct xo_pseudo *pseudo = xo_pseudo_for_cli(&cli, opt.hash_ids, opt.hash_key_file);
	opt.ev.pseudo = pseudo;
	struct xo_rejects *rejects = xo_rejects_open(opt.rejects_path);
	struct xo_ingest_opts io = {
		.map = map, .ev = opt.ev, .rejects = rejects, .strict = opt.strict,
		.emit = emit_to_stdout,
	};
	struct xo_ingest *ing = xo_ingest_new(&io);
	if (optind == argc)
		ingest_path(ing, "-", &t);
	for (int i = optind; i < argc && !xo_ingest_stopped(ing); i++)
		ingest_path(ing, argv[i], &t);
	xo_out_finish();
	if (t.files > 1)
		xo_warn("total: %llu read, %llu emitted, %llu rejected", t.read, t.emitted, t.rejected);
	xo_rejects_close(rejects);
	xo_ingest_free(ing);
	xo_map_free(map);
	xo_pseudo_free(pseudo);
	xo_tz_free_all();
	if (t.exit_code)
		return t.exit_code;
	return t.rejected ? XO_EXIT_REJECTS : XO_EXIT_OK;
}
