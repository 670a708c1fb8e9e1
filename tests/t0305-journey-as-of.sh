#!/bin/bash
# xo-journey --as-of: everything as it stood at a past moment.
. "$(dirname "$0")/lib.sh"
J=$TESTDATA/journey

# x-anna as of A = 2026-02-21T00:00:00Z keeps steps 0-4 of t0300 (the
# other five events are later). tenure: 3652 d less the 22.5 d from A to
# 2026-03-15 12:00 = 3629.5; recency: 02-20 10:50 to A = 13h10m =
# 0.5486 d; 3 distinct days; frequency 5*30/3629.5 = 0.0413; sessions:
# 0 | 1 | 2,3 | 4 = 4. Contacts 2 (phone 10:00, email 10:50), both in
# 7 d; the email is a repeat: first 1, repeats 1, fcr_rate 0. Switches:
# web survey phone web email = 4. The billing episode (10:00) is open,
# 14 h = 0.583 d old, 1 repeat. cx as of A: nps 9 and csat 5, once each.
test_expect_success 'context as of a past moment' '
	xo-journey -q --as-of 2026-02-21T00:00:00Z "$J/anna.ndjson" | jq .context >actual &&
	cat >expected <<-\EOT &&
	{
	  "first_ts": "2016-03-15T12:00:00Z",
	  "last_ts": "2026-02-20T10:50:00Z",
	  "tenure_days": 3629.5,
	  "recency_days": 0.549,
	  "events": 5,
	  "active_days": 3,
	  "frequency_30d": 0.041,
	  "sessions": 4,
	  "contacts": 2,
	  "contacts_7d": 2,
	  "contacts_30d": 2,
	  "contacts_90d": 2,
	  "last_contact_ts": "2026-02-20T10:50:00Z",
	  "contact_recency_days": 0.549,
	  "channels": {
	    "web": 2,
	    "email": 1,
	    "phone": 1,
	    "survey": 1
	  },
	  "channel_switches": 4,
	  "first_contacts": 1,
	  "repeat_contacts": 1,
	  "fcr_failed": 1,
	  "fcr_rate": 0,
	  "open_issues": 1,
	  "issues_resolved": 0,
	  "ttr_days_mean": null,
	  "ttr_days_last": null,
	  "oldest_open_days": 0.583,
	  "episodes": {
	    "issue": {
	      "started": 1,
	      "resolved": 0,
	      "timeout": 0,
	      "open": 1,
	      "ttr_days_mean": null,
	      "ttr_days_last": null,
	      "oldest_open_days": 0.583
	    }
	  },
	  "cx": {
	    "csat": {
	      "n": 1,
	      "last": 5,
	      "last_ts": "2026-01-10T09:00:00Z",
	      "prev": null,
	      "trend": null,
	      "mean": 5
	    },
	    "nps": {
	      "n": 1,
	      "last": 9,
	      "last_ts": "2026-01-10T09:00:00Z",
	      "prev": null,
	      "trend": null,
	      "mean": 9
	    }
	  }
	}
	EOT
	test_cmp expected actual
'

test_expect_success 'as_of is written, later events counted as ignored' '
	xo-journey --as-of 2026-02-21T00:00:00Z "$J/anna.ndjson" 2>err | jq -r ".as_of, (.steps | length)" >actual &&
	printf "%s\n" 2026-02-21T00:00:00Z 5 >expected &&
	test_cmp expected actual &&
	echo "xo-journey: 10 events read, 0 rejected, 5 after as-of ignored; 1 customers" >expected &&
	test_cmp expected err
'

# An episode resolved after A is open as of A: x-res as of 2026-01-02:
# the complaint of 01-01 00:00 is 1 d old and open.
test_expect_success 'an episode resolved later is open as of before' '
	xo-journey -q --as-of 2026-01-02T00:00:00Z "$J/episodes.ndjson" |
		jq -c "select(.xid == \"x-res\") | [.episodes[0].status, .episodes[0].duration_days, .context.open_issues]" >actual &&
	echo "[\"open\",1,1]" >expected &&
	test_cmp expected actual
'

test_expect_success 'a customer with no event before as-of has no record' '
	xo-journey -q --as-of 2016-01-01T00:00:00Z "$J/anna.ndjson" >actual &&
	test_cmp /dev/null actual
'

test_expect_code 2 'a bad --as-of is a usage error' 'xo-journey --as-of yesterday "$J/anna.ndjson"'

test_done
