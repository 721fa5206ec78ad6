/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gtasklet/gtasklet.h>

G_BEGIN_DECLS

/* Helpers shared by test-threads-stress.c and test-pool-stress.c: random runs that can be
 * repeated, the library's debug log of dropped messages, messages that count themselves,
 * pools that say where they went, and waits that spin. */

/* How long a stress test waits for anything before it fails: well within meson's timeout, so
 * that a wait that never ends says what it waited for. */
#define STRESS_DEADLINE_MS 60000

/* The seed of a random run: GTASKLET_TEST_SEED if set, else a random one; the test log says
 * which. */
guint32  stress_seed              (void);

/* The library reports drops in its debug log, with the count, and the test harness prints
 * debug messages: from now on, counts them from zero instead of printing hundreds of
 * thousands of lines. Any thread may log. */
void     stress_count_drops_begin (void);
/* The drops logged so far, and in how many lines. */
int      stress_logged_drops      (int *n_lines);

/* The monotonic time @ms from now. */
gint64   stress_deadline          (guint ms);

/* One turn of a wait for other threads: fails past @end, else iterates the thread-default
 * context once without blocking and yields. */
void     stress_poll_until        (gint64      end,
                                   const char *what);

/* Spins (yielding, never sleeping) until @cond holds, failing after STRESS_DEADLINE_MS. It
 * iterates no context: for waits inside steps, and on threads that run no loop. */
#define STRESS_SPIN_UNTIL(cond, what)                                   \
  G_STMT_START {                                                        \
    gint64 stress_end_ = stress_deadline (STRESS_DEADLINE_MS);          \
    while (!(cond))                                                     \
      {                                                                 \
        if (g_get_monotonic_time () > stress_end_)                      \
          g_error ("timed out waiting for %s", (what));                 \
        g_thread_yield ();                                              \
      }                                                                 \
  } G_STMT_END

/* Tokens: the value of every message a stress test sends, reference-counted, so that the
 * message's copies share it. A receiver takes it (once: a second time fails the test), a
 * refused send marks it; when its last reference goes, it counts as received, refused or
 * dropped. So the messages are counted where they went, apart from the senders' and
 * receivers' own counts, and one left behind anywhere shows as a token never freed. */
typedef struct
{
  guint sender;
  guint seq;
  int   taken;      /* atomic */
  int   refused;    /* atomic */
  int   ref_count;  /* atomic */
} StressToken;

GType        stress_token_get_type (void);
/* Zeroes the counts below; call it when no token is alive. */
void         stress_tokens_reset   (void);
int          stress_tokens_made    (void);
/* Sends a message @name holding a new token, with gtasklet_tasklet_send(), or if
 * @as_message with gtasklet_tasklet_send_message(); returns what the send returned. */
gboolean     stress_send_token     (GtaskletTasklet *dest,
                                    const char      *name,
                                    guint            sender,
                                    guint            seq,
                                    gboolean         as_message);
/* The receiver's side: takes the token of @message. */
StressToken *stress_take_token     (GtaskletMessage *message);
/* Once every token should have been freed: checks that all were, and how they went. */
void         stress_assert_tokens  (guint64          received,
                                    guint64          refused,
                                    guint64          dropped);

/* Whether @event is a message named @name. */
gboolean     stress_is_message     (GObject         *event,
                                    const char      *name);

/* A pool with a weak reference that tells whether, and on which thread, it went. */
typedef struct
{
  GtaskletPool *pool;
  int           finalized;   /* atomic */
  GThread      *where;       /* atomic: set before finalized */
} StressPool;

void         stress_pool_init      (StressPool      *pool,
                                    guint            n_workers);
/* The references @pool has: its placed tasklets hold one each. Any thread. */
guint        stress_pool_refs      (GtaskletPool    *pool);
/* Drops the reference in @pool (if still there), then waits until the pool is finalized and
 * the process has @n_threads threads again. */
void         stress_pool_finish    (StressPool      *pool,
                                    guint            n_threads);

/* Checks that @tasklet has finished, with success or cancelled; returns whether cancelled. */
gboolean     stress_was_cancelled  (GtaskletTasklet *tasklet);

G_END_DECLS
