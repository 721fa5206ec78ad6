/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Shared pieces of the Savina benchmarks on gtasklet: parameters, timing, the count of live
 * actors that ends the main loop, message helpers and Savina's portable pseudo-random
 * generator. See README.md beside this file. */

#include <gtasklet/gtasklet.h>

G_BEGIN_DECLS

#define SAVINA_MAX_PARAMS 4

typedef struct
{
  char        key;          /* the option letter, as in Savina's own -x flags */
  int         value;        /* Savina's default */
  const char *meaning;
} SavinaParam;

typedef struct _SavinaRun SavinaRun;

typedef struct
{
  const char  *name;
  const char  *title;
  void       (*run) (SavinaRun *run);
  SavinaParam  params[SAVINA_MAX_PARAMS];
} SavinaBench;

struct _SavinaRun
{
  const SavinaBench *bench;
  int                values[SAVINA_MAX_PARAMS];
  double             wall0;
  double             cpu0;
  double             wall_ms;
  double             cpu_ms;
  guint64            msgs;   /* messages delivered, as counted by the benchmark */
};

int      savina_param         (const SavinaRun *run,
                               char             key);
void     savina_timer_start   (SavinaRun       *run);
void     savina_timer_stop    (SavinaRun       *run);

G_NORETURN
void     savina_check_failed  (const SavinaRun *run,
                               const char      *format,
                               ...) G_GNUC_PRINTF (2, 3);
void     savina_check_finished (const SavinaRun *run,
                                GtaskletTasklet *tasklet);

/* Savina's AkkaActorState.awaitTermination: every actor counts as live until its last step
 * calls savina_live_done(); savina_loop_run() runs a GMainLoop on the default context
 * until none is live. */
void     savina_live_add      (guint            n);
void     savina_live_done     (void);
void     savina_loop_run      (void);

/* Sends from a step or from the main loop; FALSE (the destination has finished) is counted
 * and makes the run fail its check. */
void     savina_send          (GtaskletTasklet *dest,
                               const char      *name);
void     savina_send_int      (GtaskletTasklet *dest,
                               const char      *name,
                               int              value);
void     savina_send_int64    (GtaskletTasklet *dest,
                               const char      *name,
                               gint64           value);
void     savina_send_pointer  (GtaskletTasklet *dest,
                               const char      *name,
                               gpointer         value);
guint    savina_lost_sends    (void);

/* The name is interned: steps compare it by pointer with names each benchmark interns once
 * (g_intern_static_string()) before its actors run. */
static inline const char *
savina_message_name (GObject *event)
{
  return gtasklet_message_get_name (GTASKLET_MESSAGE (event));
}

static inline int
savina_message_int (GObject *event)
{
  return g_value_get_int (gtasklet_message_get_value (GTASKLET_MESSAGE (event)));
}

static inline gint64
savina_message_int64 (GObject *event)
{
  return g_value_get_int64 (gtasklet_message_get_value (GTASKLET_MESSAGE (event)));
}

static inline gpointer
savina_message_pointer (GObject *event)
{
  return g_value_get_pointer (gtasklet_message_get_value (GTASKLET_MESSAGE (event)));
}

static inline GtaskletTasklet *
savina_message_sender (GObject *event)
{
  return gtasklet_message_get_sender (GTASKLET_MESSAGE (event));
}

/* Savina's PseudoRandom (benchmarks/PseudoRandom.java): the same sequence in every language,
 * so the C and Erlang programs do exactly the same work. */
typedef struct
{
  gint64 value;
} SavinaRandom;

static inline void
savina_random_init (SavinaRandom *r,
                    gint64        seed)
{
  r->value = seed;
}

static inline gint64
savina_random_next_long (SavinaRandom *r)
{
  r->value = ((r->value * 1309) + 13849) & 65535;
  return r->value;
}

static inline int
savina_random_next_int (SavinaRandom *r,
                        int           exclusive_max)
{
  return (int) (savina_random_next_long (r) % exclusive_max);
}

/* The per-message "work" of the fork-join benchmarks (performComputation): theta comes from
 * a variable so the compiler cannot fold the sine away. */
extern volatile double savina_theta;
double   savina_compute       (void);

void savina_counting   (SavinaRun *run);
void savina_fjthrput   (SavinaRun *run);
void savina_fjcreate   (SavinaRun *run);
void savina_threadring (SavinaRun *run);
void savina_chameneos  (SavinaRun *run);
void savina_big        (SavinaRun *run);
void savina_banking    (SavinaRun *run);
void savina_cigsmok    (SavinaRun *run);

G_END_DECLS
