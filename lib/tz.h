/* tz: time zones from the system's zoneinfo (TZif files), without
 * touching the process-wide TZ, so one run may use many zones.
 *
 * Names: "UTC", fixed offsets ("+02:00", "-0500", "UTC+3"), or IANA
 * names ("Europe/Rome") looked up under $TZDIR or /usr/share/zoneinfo.
 * Zones are loaded once and cached for the life of the process; the
 * cache owns them.
 */
#ifndef XO_TZ_H
#define XO_TZ_H

#include <stdint.h>

struct xo_tz;

/* The zone, or NULL with *why set to a static reason. */
const struct xo_tz *xo_tz_get(const char *name, const char **why);
const struct xo_tz *xo_tz_utc(void);
const char *xo_tz_name(const struct xo_tz *tz);

/* Seconds east of UTC in force at the UTC instant t. */
int32_t xo_tz_offset_at(const struct xo_tz *tz, int64_t utc_sec);

/* The UTC instant of a wall-clock time (seconds since the epoch as if
 * local were UTC). Ambiguous times (clocks going back) take the first
 * occurrence; times skipped by clocks going forward are moved forward by
 * the size of the gap. */
int64_t xo_tz_local_to_utc(const struct xo_tz *tz, int64_t local_sec);

/* Drop the cache (for leak checkers). */
void xo_tz_free_all(void);

#endif
