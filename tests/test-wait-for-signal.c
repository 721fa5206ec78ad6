/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "test-util.h"

/* An object with one signal of each shape WaitForSignal must handle. */
#define TEST_TYPE_EMITTER (test_emitter_get_type ())
G_DECLARE_DERIVABLE_TYPE (TestEmitter, test_emitter, TEST, EMITTER, GObject)

struct _TestEmitterClass
{
  GObjectClass parent_class;

  int (*compute) (TestEmitter *self);
};

G_DEFINE_TYPE (TestEmitter, test_emitter, G_TYPE_OBJECT)

enum {
  SIG_ARGS,          /* void (int, string) */
  SIG_HANDLED,       /* boolean, detailed, true-handled accumulator */
  SIG_COMPUTE,       /* int, no accumulator, class handler returns 42 */
  SIG_COMPUTE_NO_HOOKS,
  N_SIGS
};

static guint emitter_signals[N_SIGS];

enum {
  PROP_0,
  PROP_VALUE,
  PROP_OTHER,
  N_PROPS
};

static void
test_emitter_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  g_value_set_int (value, 0);
}

static void
test_emitter_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
}

static int
test_emitter_real_compute (TestEmitter *self)
{
  return 42;
}

static void
test_emitter_class_init (TestEmitterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = test_emitter_get_property;
  object_class->set_property = test_emitter_set_property;
  klass->compute = test_emitter_real_compute;

  g_object_class_install_property (object_class, PROP_VALUE,
                                   g_param_spec_int ("value", NULL, NULL, 0, 100, 0,
                                                     G_PARAM_READWRITE));
  g_object_class_install_property (object_class, PROP_OTHER,
                                   g_param_spec_int ("other", NULL, NULL, 0, 100, 0,
                                                     G_PARAM_READWRITE));

  emitter_signals[SIG_ARGS] =
    g_signal_new ("args", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_STRING);
  emitter_signals[SIG_HANDLED] =
    g_signal_new ("handled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                  0, g_signal_accumulator_true_handled, NULL, NULL,
                  G_TYPE_BOOLEAN, 0);
  emitter_signals[SIG_COMPUTE] =
    g_signal_new ("compute", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_FIRST,
                  G_STRUCT_OFFSET (TestEmitterClass, compute), NULL, NULL, NULL,
                  G_TYPE_INT, 0);
  emitter_signals[SIG_COMPUTE_NO_HOOKS] =
    g_signal_new ("compute-no-hooks", G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_FIRST | G_SIGNAL_NO_HOOKS,
                  G_STRUCT_OFFSET (TestEmitterClass, compute), NULL, NULL, NULL,
                  G_TYPE_INT, 0);
}

static void
test_emitter_init (TestEmitter *self)
{
}

/* Emits any of the emitter's signals by name, with arguments of the right shape. */
static void
emit_any (gpointer    emitter,
          const char *name)
{
  if (g_str_equal (name, "args"))
    {
      g_signal_emit_by_name (emitter, name, 3, "three");
    }
  else
    {
      gboolean result = FALSE;

      g_signal_emit_by_name (emitter, name, &result);
    }
}

/* Waits on `signal` until it has fired `n_wanted` times, recording what each step saw. */
typedef struct
{
  GtaskletWaitCondition *signal;
  guint                  n_wanted;
  guint                  n_events;
  gboolean               woke;
  guint                  n_args;
  int                    int_arg;
  char                  *string_arg;
  GParamSpec            *pspec_arg;
  gboolean               object_gone;
} Waiter;

static gboolean
waiter_step (GtaskletTasklet  *tasklet,
             GObject          *event,
             gpointer          user_data,
             GError          **error)
{
  Waiter *w = user_data;
  GtaskletWaitForSignal *signal = GTASKLET_WAIT_FOR_SIGNAL (w->signal);

  if (event != NULL)
    {
      g_assert_true (event == G_OBJECT (w->signal));
      w->n_events++;
      w->woke = TRUE;
      w->n_args = gtasklet_wait_for_signal_get_n_args (signal);
      w->object_gone = gtasklet_wait_for_signal_get_object (signal) == NULL;
      if (w->n_args == 2 && G_VALUE_HOLDS_INT (gtasklet_wait_for_signal_get_arg (signal, 0)))
        {
          w->int_arg = g_value_get_int (gtasklet_wait_for_signal_get_arg (signal, 0));
          g_free (w->string_arg);
          w->string_arg = g_value_dup_string (gtasklet_wait_for_signal_get_arg (signal, 1));
        }
      if (w->n_args == 1 && G_VALUE_HOLDS_PARAM (gtasklet_wait_for_signal_get_arg (signal, 0)))
        w->pspec_arg = g_value_get_param (gtasklet_wait_for_signal_get_arg (signal, 0));
    }
  if (w->n_events == w->n_wanted)
    return TRUE;
  gtasklet_tasklet_wait (tasklet, w->signal);
  return TRUE;
}

static void
test_void_signal_args (void)
{
  g_autoptr (TestEmitter) emitter = g_object_new (TEST_TYPE_EMITTER, NULL);
  g_autoptr (GtaskletWaitCondition) signal = gtasklet_wait_for_signal_new (emitter, "args");
  GtaskletWaitForSignal *self = GTASKLET_WAIT_FOR_SIGNAL (signal);
  Waiter w = { signal, 2 };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (waiter_step, &w, NULL);

  g_assert_true (gtasklet_wait_for_signal_get_object (self) == G_OBJECT (emitter));
  g_assert_cmpstr (gtasklet_wait_for_signal_get_signal (self), ==, "args");
  g_assert_cmpuint (gtasklet_wait_for_signal_get_n_args (self), ==, 0);

  gtasklet_tasklet_start (t);
  g_signal_emit (emitter, emitter_signals[SIG_ARGS], 0, 7, "seven");
  test_wait_until (w.woke, 5000);
  g_assert_cmpuint (w.n_args, ==, 2);
  g_assert_cmpint (w.int_arg, ==, 7);
  g_assert_cmpstr (w.string_arg, ==, "seven");

  g_signal_emit (emitter, emitter_signals[SIG_ARGS], 0, 8, "eight");
  test_wait_finished (t, 5000);
  g_assert_cmpuint (w.n_events, ==, 2);
  g_assert_cmpint (w.int_arg, ==, 8);
  g_assert_cmpstr (w.string_arg, ==, "eight");

  /* The copies outlive the emission and the step. */
  g_assert_cmpuint (gtasklet_wait_for_signal_get_n_args (self), ==, 2);
  g_assert_cmpstr (g_value_get_string (gtasklet_wait_for_signal_get_arg (self, 1)), ==, "eight");

  g_free (w.string_arg);
}

/* Emits "args" twice from a step: the waiter, woken from the main loop afterwards, runs once
 * and sees the latest emission. */
static gboolean
emit_twice_step (GtaskletTasklet  *tasklet,
                 GObject          *event,
                 gpointer          user_data,
                 GError          **error)
{
  TestEmitter *emitter = user_data;

  g_signal_emit (emitter, emitter_signals[SIG_ARGS], 0, 1, "first");
  g_signal_emit (emitter, emitter_signals[SIG_ARGS], 0, 2, "second");
  return TRUE;
}

static void
test_latest_emission_wins (void)
{
  g_autoptr (TestEmitter) emitter = g_object_new (TEST_TYPE_EMITTER, NULL);
  g_autoptr (GtaskletWaitCondition) signal = gtasklet_wait_for_signal_new (emitter, "args");
  Waiter w = { signal, 1 };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (waiter_step, &w, NULL);
  g_autoptr (GtaskletTasklet) emitter_tasklet = NULL;

  gtasklet_tasklet_start (t);
  emitter_tasklet = gtasklet_tasklet_new (emit_twice_step, emitter, NULL);
  gtasklet_tasklet_start (emitter_tasklet);
  g_assert_cmpuint (w.n_events, ==, 0);

  test_wait_finished (t, 5000);
  test_drain ();
  g_assert_cmpuint (w.n_events, ==, 1);
  g_assert_cmpint (w.int_arg, ==, 2);
  g_assert_cmpstr (w.string_arg, ==, "second");

  g_free (w.string_arg);
}

static gboolean
return_true (gpointer instance,
             gpointer data)
{
  (*(guint *) data)++;
  return TRUE;
}

static gboolean
return_false (gpointer instance,
              gpointer data)
{
  (*(guint *) data)++;
  return FALSE;
}

static void
test_boolean_accumulator_untouched (void)
{
  /* Seed defect 5: the seed's handler returned "still waiting" (TRUE) and so stopped the
   * emission of true-handled signals. */
  g_autoptr (TestEmitter) emitter = g_object_new (TEST_TYPE_EMITTER, NULL);
  g_autoptr (GtaskletWaitCondition) signal = gtasklet_wait_for_signal_new (emitter, "handled");
  Waiter w = { signal, 3 };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (waiter_step, &w, NULL);
  guint n_before = 0;
  guint n_after = 0;
  gulong before_id, after_id;
  gboolean result = TRUE;

  /* Nobody handles it: the result stays FALSE. */
  before_id = g_signal_connect (emitter, "handled", G_CALLBACK (return_false), &n_before);
  gtasklet_tasklet_start (t);
  g_signal_emit (emitter, emitter_signals[SIG_HANDLED], 0, &result);
  g_assert_false (result);
  g_assert_cmpuint (n_before, ==, 1);
  test_wait_until (w.woke, 5000);

  /* A handler connected after the condition was armed handles it: it still runs and its TRUE
   * is the result. */
  after_id = g_signal_connect (emitter, "handled", G_CALLBACK (return_true), &n_after);
  result = FALSE;
  w.woke = FALSE;
  g_signal_emit (emitter, emitter_signals[SIG_HANDLED], 0, &result);
  g_assert_true (result);
  g_assert_cmpuint (n_before, ==, 2);
  g_assert_cmpuint (n_after, ==, 1);
  /* Emitted outside any source, the event reaches the tasklet from its main loop. */
  test_wait_until (w.woke, 5000);

  /* A handler that handles it first stops the emission, yet the condition saw it. */
  g_signal_handler_disconnect (emitter, before_id);
  g_signal_handler_disconnect (emitter, after_id);
  g_signal_connect (emitter, "handled", G_CALLBACK (return_true), &n_before);
  result = FALSE;
  g_signal_emit (emitter, emitter_signals[SIG_HANDLED], 0, &result);
  g_assert_true (result);
  test_wait_finished (t, 5000);
  g_assert_cmpuint (w.n_events, ==, 3);
  g_assert_cmpuint (w.n_args, ==, 0);
}

static void
check_int_return_untouched (const char *signal_name,
                            guint       signal_id)
{
  g_autoptr (TestEmitter) emitter = g_object_new (TEST_TYPE_EMITTER, NULL);
  g_autoptr (GtaskletWaitCondition) signal = gtasklet_wait_for_signal_new (emitter, signal_name);
  Waiter w = { signal, 1 };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (waiter_step, &w, NULL);
  int result = 0;

  gtasklet_tasklet_start (t);
  g_signal_emit (emitter, signal_id, 0, &result);
  test_wait_finished (t, 5000);

  g_assert_cmpint (result, ==, 42);
  g_assert_cmpuint (w.n_events, ==, 1);
}

static void
test_int_return_untouched (void)
{
  /* Watched through an emission hook. */
  check_int_return_untouched ("compute", emitter_signals[SIG_COMPUTE]);
}

static void
test_int_return_untouched_no_hooks (void)
{
  /* A signal that refuses hooks: watched through a handler that leaves the value alone. */
  check_int_return_untouched ("compute-no-hooks", emitter_signals[SIG_COMPUTE_NO_HOOKS]);
}

static void
test_detailed_notify (void)
{
  g_autoptr (TestEmitter) emitter = g_object_new (TEST_TYPE_EMITTER, NULL);
  g_autoptr (GtaskletWaitCondition) signal =
    gtasklet_wait_for_signal_new (emitter, "notify::value");
  Waiter w = { signal, 1 };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (waiter_step, &w, NULL);

  gtasklet_tasklet_start (t);
  g_object_set (emitter, "other", 5, NULL);
  test_drain ();
  g_assert_cmpuint (w.n_events, ==, 0);

  g_object_set (emitter, "value", 5, NULL);
  test_wait_finished (t, 5000);
  g_assert_cmpuint (w.n_events, ==, 1);
  g_assert_cmpuint (w.n_args, ==, 1);
  g_assert_nonnull (w.pspec_arg);
  g_assert_cmpstr (w.pspec_arg->name, ==, "value");
}

static void
test_detail_filters_hook (void)
{
  g_autoptr (TestEmitter) emitter = g_object_new (TEST_TYPE_EMITTER, NULL);
  g_autoptr (TestEmitter) stranger = g_object_new (TEST_TYPE_EMITTER, NULL);
  g_autoptr (GtaskletWaitCondition) signal =
    gtasklet_wait_for_signal_new (emitter, "handled::mine");
  Waiter w = { signal, 1 };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (waiter_step, &w, NULL);
  gboolean result;

  gtasklet_tasklet_start (t);

  /* The hook sees every emission of the signal; only the right detail on the right object
   * counts. */
  g_signal_emit (emitter, emitter_signals[SIG_HANDLED], g_quark_from_string ("other"), &result);
  g_signal_emit (emitter, emitter_signals[SIG_HANDLED], 0, &result);
  g_signal_emit (stranger, emitter_signals[SIG_HANDLED], g_quark_from_string ("mine"), &result);
  test_drain ();
  g_assert_cmpuint (w.n_events, ==, 0);

  g_signal_emit (emitter, emitter_signals[SIG_HANDLED], g_quark_from_string ("mine"), &result);
  test_wait_finished (t, 5000);
  g_assert_cmpuint (w.n_events, ==, 1);
}

static void
test_object_finalized_while_armed (void)
{
  TestEmitter *emitter = g_object_new (TEST_TYPE_EMITTER, NULL);
  g_autoptr (GtaskletWaitCondition) signal = gtasklet_wait_for_signal_new (emitter, "args");
  Waiter w = { signal, 1 };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (waiter_step, &w, NULL);

  gtasklet_tasklet_start (t);
  /* The condition does not keep the object alive. */
  g_object_unref (emitter);
  test_wait_finished (t, 5000);

  g_assert_cmpuint (w.n_events, ==, 1);
  g_assert_true (w.object_gone);
  g_assert_cmpuint (w.n_args, ==, 0);
}

/* Emission first (the tasklet waits again), then finalization: the second wake-up tells that
 * the object is gone, its arguments forgotten, and nothing stays connected. */
static void
check_object_finalized_after_emission (const char *signal_name)
{
  TestEmitter *emitter = g_object_new (TEST_TYPE_EMITTER, NULL);
  g_autoptr (TestEmitter) other = g_object_new (TEST_TYPE_EMITTER, NULL);
  g_autoptr (GtaskletWaitCondition) signal = gtasklet_wait_for_signal_new (emitter, signal_name);
  GtaskletWaitForSignal *self = GTASKLET_WAIT_FOR_SIGNAL (signal);
  Waiter w = { signal, 2 };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (waiter_step, &w, NULL);

  gtasklet_tasklet_start (t);
  emit_any (emitter, signal_name);
  test_wait_until (w.woke, 5000);
  g_assert_false (w.object_gone);

  g_object_unref (emitter);
  test_wait_finished (t, 5000);

  g_assert_cmpuint (w.n_events, ==, 2);
  g_assert_true (w.object_gone);
  g_assert_cmpuint (w.n_args, ==, 0);
  g_assert_null (gtasklet_wait_for_signal_get_object (self));
  g_assert_cmpuint (gtasklet_wait_for_signal_get_n_args (self), ==, 0);

  emit_any (other, signal_name);
  test_drain ();
  g_assert_cmpuint (w.n_events, ==, 2);

  g_free (w.string_arg);
}

static void
test_object_finalized_after_emission (void)
{
  /* Handler path. */
  check_object_finalized_after_emission ("args");
}

static void
test_object_finalized_hook (void)
{
  /* Hook path: the hook is removed with the object. */
  check_object_finalized_after_emission ("handled");
}

static void
test_object_gone_before_arm (void)
{
  TestEmitter *emitter = g_object_new (TEST_TYPE_EMITTER, NULL);
  g_autoptr (GtaskletWaitCondition) signal = gtasklet_wait_for_signal_new (emitter, "args");
  Waiter w = { signal, 2 };
  g_autoptr (GtaskletTasklet) t = NULL;

  g_object_unref (emitter);
  g_assert_null (gtasklet_wait_for_signal_get_object (GTASKLET_WAIT_FOR_SIGNAL (signal)));

  /* The object is already gone: waiting on it fires at once instead of hanging, and again
   * when the step it woke waits on it again (the condition then stays armed). */
  t = gtasklet_tasklet_new (waiter_step, &w, NULL);
  gtasklet_tasklet_start (t);
  test_wait_finished (t, 1000);
  g_assert_cmpuint (w.n_events, ==, 2);
  g_assert_true (w.object_gone);
}

static void
check_disarm_disconnects (const char *signal_name)
{
  g_autoptr (TestEmitter) emitter = g_object_new (TEST_TYPE_EMITTER, NULL);
  g_autoptr (GtaskletWaitCondition) signal = gtasklet_wait_for_signal_new (emitter, signal_name);
  g_autoptr (GtaskletWaitCondition) idle = gtasklet_wait_for_idle_new ();
  TestDrop d = { signal, idle };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (test_drop_step, &d, NULL);
  guint signal_id = g_signal_lookup (signal_name, TEST_TYPE_EMITTER);
  guint n_fired = 0;

  g_signal_connect (signal, "fired", G_CALLBACK (test_count_signal), &n_fired);
  gtasklet_tasklet_start (t);
  test_wait_finished (t, 5000);
  g_assert_false (gtasklet_wait_condition_is_armed (signal));
  g_assert_false (g_signal_has_handler_pending (emitter, signal_id, 0, FALSE));

  emit_any (emitter, signal_name);
  test_drain ();
  g_assert_cmpuint (n_fired, ==, 0);
  g_assert_cmpuint (gtasklet_wait_for_signal_get_n_args (GTASKLET_WAIT_FOR_SIGNAL (signal)), ==, 0);

  /* And after the condition is gone, emissions still work. */
  g_clear_object (&signal);
  emit_any (emitter, signal_name);
}

static void
test_disarm_disconnects (void)
{
  check_disarm_disconnects ("args");
}

static void
test_disarm_removes_hook (void)
{
  check_disarm_disconnects ("handled");
}

static void
test_properties (void)
{
  g_autoptr (TestEmitter) emitter = g_object_new (TEST_TYPE_EMITTER, NULL);
  g_autoptr (GtaskletWaitCondition) signal = NULL;
  g_autoptr (GtaskletTasklet) t = NULL;
  g_autoptr (GObject) object = NULL;
  g_autofree char *name = NULL;
  Waiter w = { NULL, 1 };

  /* As bindings build it, with keyword arguments. */
  signal = g_object_new (GTASKLET_TYPE_WAIT_FOR_SIGNAL,
                         "object", emitter,
                         "signal", "args",
                         NULL);
  w.signal = signal;
  g_object_get (signal, "object", &object, "signal", &name, NULL);
  g_assert_true (object == G_OBJECT (emitter));
  g_assert_cmpstr (name, ==, "args");

  t = gtasklet_tasklet_new (waiter_step, &w, NULL);
  gtasklet_tasklet_start (t);
  g_signal_emit (emitter, emitter_signals[SIG_ARGS], 0, 4, "four");
  test_wait_finished (t, 5000);
  g_assert_cmpint (w.int_arg, ==, 4);

  g_free (w.string_arg);
}

static void
test_unarmed_dispose (void)
{
  g_autoptr (TestEmitter) emitter = g_object_new (TEST_TYPE_EMITTER, NULL);
  GtaskletWaitCondition *signal = gtasklet_wait_for_signal_new (emitter, "args");

  /* Drops its weak reference: finalizing the emitter later must not call back. */
  g_object_unref (signal);
}

static void
test_programmer_errors (void)
{
  g_autoptr (TestEmitter) emitter = g_object_new (TEST_TYPE_EMITTER, NULL);
  g_autoptr (GtaskletWaitCondition) signal = NULL;
  GtaskletWaitCondition *bad;
  struct {
    gpointer    object;
    const char *name;
    const char *critical;
  } cases[] = {
    { NULL, "args", "GtaskletWaitForSignal was given no object to watch*" },
    { emitter, "no-such-signal", "no signal 'no-such-signal' on TestEmitter" },
    /* A detail on a signal that takes none. */
    { emitter, "args::detail", "no signal 'args::detail' on TestEmitter" },
    { emitter, NULL, "GtaskletWaitForSignal was given no signal name to watch on TestEmitter" },
  };

  /* Constructors never return NULL: what is wrong is said in plain words, and whoever waits
   * on such a condition fails instead of hanging. */
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL, cases[i].critical);
      bad = gtasklet_wait_for_signal_new (cases[i].object, cases[i].name);
      g_test_assert_expected_messages ();
      g_assert_nonnull (bad);
      test_assert_wait_fails (bad, GTASKLET_ERROR, GTASKLET_ERROR_MISUSE);
      g_object_unref (bad);
    }

  signal = gtasklet_wait_for_signal_new (emitter, "args");
  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL,
                         "gtasklet_wait_for_signal_get_arg(): argument 0 asked for, but the "
                         "condition holds 0 arguments of 'args' (those of the emission that "
                         "fired it, the emitting object not counted)");
  g_assert_null (gtasklet_wait_for_signal_get_arg (GTASKLET_WAIT_FOR_SIGNAL (signal), 0));
  g_test_assert_expected_messages ();

  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL, "no signal 'nope' on TestEmitter");
  bad = g_object_new (GTASKLET_TYPE_WAIT_FOR_SIGNAL, "object", emitter, "signal", "nope", NULL);
  g_test_assert_expected_messages ();
  test_assert_wait_fails (bad, GTASKLET_ERROR, GTASKLET_ERROR_MISUSE);
  g_object_unref (bad);
}

static void
test_arg_out_of_range (void)
{
  g_autoptr (TestEmitter) emitter = g_object_new (TEST_TYPE_EMITTER, NULL);
  g_autoptr (GtaskletWaitCondition) signal = gtasklet_wait_for_signal_new (emitter, "args");
  Waiter w = { signal, 1 };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (waiter_step, &w, NULL);

  gtasklet_tasklet_start (t);
  g_signal_emit (emitter, emitter_signals[SIG_ARGS], 0, 1, "one");
  test_wait_finished (t, 5000);
  g_assert_cmpuint (w.n_args, ==, 2);

  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL,
                         "gtasklet_wait_for_signal_get_arg(): argument 2 asked for, but the "
                         "condition holds 2 arguments of 'args'*");
  g_assert_null (gtasklet_wait_for_signal_get_arg (GTASKLET_WAIT_FOR_SIGNAL (signal), 2));
  g_test_assert_expected_messages ();

  g_free (w.string_arg);
}

static void
test_finalized_object_step_not_nested (void)
{
  TestEmitter *emitter = g_object_new (TEST_TYPE_EMITTER, NULL);
  Waiter w = { gtasklet_wait_for_signal_new (emitter, "args"), 1 };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (waiter_step, &w, NULL);

  gtasklet_tasklet_start (t);
  /* Finalized from plain code: the step does not run inside g_object_unref(). */
  g_object_unref (emitter);
  g_assert_false (w.woke);
  g_assert_cmpint (gtasklet_tasklet_get_state (t), ==, GTASKLET_STATE_SUSPENDED);
  test_wait_finished (t, 5000);
  g_assert_true (w.woke);
  g_assert_true (w.object_gone);
  g_object_unref (w.signal);
  g_free (w.string_arg);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/gtasklet/wait-for-signal/void-signal-args", test_void_signal_args);
  g_test_add_func ("/gtasklet/wait-for-signal/latest-emission-wins", test_latest_emission_wins);
  g_test_add_func ("/gtasklet/wait-for-signal/boolean-accumulator-untouched",
                   test_boolean_accumulator_untouched);
  g_test_add_func ("/gtasklet/wait-for-signal/int-return-untouched", test_int_return_untouched);
  g_test_add_func ("/gtasklet/wait-for-signal/int-return-untouched-no-hooks",
                   test_int_return_untouched_no_hooks);
  g_test_add_func ("/gtasklet/wait-for-signal/detailed-notify", test_detailed_notify);
  g_test_add_func ("/gtasklet/wait-for-signal/detail-filters-hook", test_detail_filters_hook);
  g_test_add_func ("/gtasklet/wait-for-signal/object-finalized-while-armed",
                   test_object_finalized_while_armed);
  g_test_add_func ("/gtasklet/wait-for-signal/object-finalized-after-emission",
                   test_object_finalized_after_emission);
  g_test_add_func ("/gtasklet/wait-for-signal/object-finalized-hook", test_object_finalized_hook);
  g_test_add_func ("/gtasklet/wait-for-signal/object-gone-before-arm", test_object_gone_before_arm);
  g_test_add_func ("/gtasklet/wait-for-signal/disarm-disconnects", test_disarm_disconnects);
  g_test_add_func ("/gtasklet/wait-for-signal/disarm-removes-hook", test_disarm_removes_hook);
  g_test_add_func ("/gtasklet/wait-for-signal/properties", test_properties);
  g_test_add_func ("/gtasklet/wait-for-signal/unarmed-dispose", test_unarmed_dispose);
  g_test_add_func ("/gtasklet/wait-for-signal/programmer-errors", test_programmer_errors);
  g_test_add_func ("/gtasklet/wait-for-signal/arg-out-of-range", test_arg_out_of_range);
  g_test_add_func ("/gtasklet/wait-for-signal/finalized-object-step-not-nested", test_finalized_object_step_not_nested);

  return g_test_run ();
}
