/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The C shortcuts: typed sends and reads (int, string, GVariant, a pointer that carries its
 * destroy function and is freed however the message ends), typed results, forwarding with the
 * original sender, a closure tasklet's data, and running a program's main tasklet to its end.
 * Every wait has a deadline; nothing sleeps. */
#include "test-util.h"

#define DEADLINE_MS 30000

/* A receiver that keeps the first message it accepts (any name), then finishes. */
typedef struct
{
  GtaskletMessage *message;
  GtaskletTasklet *sender;
} Kept;

static gboolean
keep_one_step (GtaskletTasklet  *self,
               GObject          *event,
               gpointer          user_data,
               GError          **error)
{
  Kept *kept = user_data;

  if (event == NULL)
    {
      gtasklet_tasklet_receive (self, TEST_NAMES ("*"), NULL, NULL);
      return TRUE;
    }
  kept->message = g_object_ref (GTASKLET_MESSAGE (event));
  kept->sender = gtasklet_message_get_sender (kept->message);
  return TRUE;
}

static GtaskletMessage *
round_trip (gboolean (*send) (GtaskletTasklet *dest, gpointer data),
            gpointer   data)
{
  Kept kept = { NULL };
  g_autoptr (GtaskletTasklet) receiver = gtasklet_tasklet_new (keep_one_step, &kept, NULL);

  gtasklet_tasklet_start (receiver);
  g_assert_true (send (receiver, data));
  test_wait_finished (receiver, DEADLINE_MS);
  g_assert_nonnull (kept.message);
  return kept.message;
}

/* Sending and reading */

static gboolean
send_int_42 (GtaskletTasklet *dest,
             gpointer         data)
{
  return gtasklet_tasklet_send_int (dest, "n", 42);
}

static gboolean
send_string (GtaskletTasklet *dest,
             gpointer         data)
{
  return gtasklet_tasklet_send_string (dest, "s", data);
}

static gboolean
send_variant (GtaskletTasklet *dest,
              gpointer         data)
{
  return gtasklet_tasklet_send_variant (dest, "v", g_variant_new ("(us)", 3, "three"));
}

static void
test_send_int_read (void)
{
  g_autoptr (GtaskletMessage) message = round_trip (send_int_42, NULL);

  g_assert_cmpstr (gtasklet_message_get_name (message), ==, "n");
  g_assert_true (G_VALUE_HOLDS_INT (gtasklet_message_get_value (message)));
  g_assert_cmpint (gtasklet_message_get_int (message), ==, 42);
}

static void
test_send_string_read (void)
{
  char buffer[] = "hello";
  g_autoptr (GtaskletMessage) message = round_trip (send_string, buffer);
  g_autoptr (GtaskletMessage) empty = round_trip (send_string, NULL);

  /* A copy: the sender's buffer may change. */
  buffer[0] = 'j';
  g_assert_cmpstr (gtasklet_message_get_string (message), ==, "hello");
  g_assert_null (gtasklet_message_get_string (empty));
  g_assert_true (G_VALUE_HOLDS_STRING (gtasklet_message_get_value (empty)));
}

static void
test_send_variant_read (void)
{
  g_autoptr (GtaskletMessage) message = round_trip (send_variant, NULL);
  GVariant *variant = gtasklet_message_get_variant (message);
  guint32 n;
  const char *word;

  g_assert_nonnull (variant);
  /* The floating reference was sunk: the message holds it. */
  g_assert_false (g_variant_is_floating (variant));
  g_variant_get (variant, "(u&s)", &n, &word);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpstr (word, ==, "three");
}

static void
test_read_wrong_type (void)
{
  g_autoptr (GtaskletMessage) message = round_trip (send_int_42, NULL);
  char text[] = "x";
  g_autoptr (GtaskletMessage) string = round_trip (send_string, text);

  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL,
                         "gtasklet_message_get_string(): message 'n' carries gint, not a string");
  g_assert_null (gtasklet_message_get_string (message));
  g_test_assert_expected_messages ();

  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL,
                         "gtasklet_message_get_int(): message 's' carries gchararray, not an int");
  g_assert_cmpint (gtasklet_message_get_int (string), ==, 0);
  g_test_assert_expected_messages ();

  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL,
                         "gtasklet_message_get_pointer(): the message holds gint, not a pointer*");
  g_assert_null (gtasklet_message_get_pointer (message));
  g_test_assert_expected_messages ();
}

/* Pointers */

typedef struct
{
  int freed;
} Payload;

static void
payload_free (gpointer data)
{
  ((Payload *) data)->freed++;
}

static gboolean
send_payload (GtaskletTasklet *dest,
              gpointer         data)
{
  return gtasklet_tasklet_send_pointer (dest, "p", data, payload_free);
}

static void
test_pointer_freed_with_message (void)
{
  Payload payload = { 0 };
  GtaskletMessage *message = round_trip (send_payload, &payload);

  g_assert_true (gtasklet_message_get_pointer (message) == &payload);
  g_assert_cmpint (payload.freed, ==, 0);
  g_object_unref (message);
  g_assert_cmpint (payload.freed, ==, 1);
}

static void
test_pointer_stolen (void)
{
  Payload payload = { 0 };
  GtaskletMessage *message = round_trip (send_payload, &payload);

  g_assert_true (gtasklet_message_steal_pointer (message) == &payload);
  g_assert_null (gtasklet_message_get_pointer (message));
  g_assert_null (gtasklet_message_steal_pointer (message));
  g_object_unref (message);
  g_assert_cmpint (payload.freed, ==, 0);
}

/* Waits for "other" only: a "p" stays queued until the tasklet finishes. */
static gboolean
wait_other_step (GtaskletTasklet  *self,
                 GObject          *event,
                 gpointer          user_data,
                 GError          **error)
{
  if (event == NULL)
    gtasklet_tasklet_receive (self, TEST_NAMES ("other"), NULL, NULL);
  return TRUE;
}

static void
test_pointer_freed_unread (void)
{
  Payload queued = { 0 }, late = { 0 };
  g_autoptr (GtaskletTasklet) receiver = gtasklet_tasklet_new (wait_other_step, NULL, NULL);

  gtasklet_tasklet_start (receiver);
  g_assert_true (gtasklet_tasklet_send_pointer (receiver, "p", &queued, payload_free));
  test_drain ();
  g_assert_cmpint (queued.freed, ==, 0);
  g_assert_cmpuint (gtasklet_tasklet_get_n_pending_messages (receiver), ==, 1);

  /* Finishing drops what it never read, and frees it. */
  g_assert_true (gtasklet_tasklet_send_int (receiver, "other", 1));
  test_wait_finished (receiver, DEADLINE_MS);
  g_assert_cmpint (queued.freed, ==, 1);

  /* A send to a finished tasklet frees the pointer at once. */
  g_assert_false (gtasklet_tasklet_send_pointer (receiver, "p", &late, payload_free));
  g_assert_cmpint (late.freed, ==, 1);
}

/* Results */

typedef enum
{
  RETURN_INT,
  RETURN_BOOLEAN,
  RETURN_STRING,
  RETURN_OBJECT,
  RETURN_POINTER,
  RETURN_POINTER_TWICE,
} ReturnKind;

typedef struct
{
  ReturnKind  kind;
  GObject    *object;
  Payload     first;
  Payload     second;
} Returner;

static gboolean
return_step (GtaskletTasklet  *self,
             GObject          *event,
             gpointer          user_data,
             GError          **error)
{
  Returner *r = user_data;

  switch (r->kind)
    {
    case RETURN_INT:
      gtasklet_tasklet_return_int (self, -7);
      break;
    case RETURN_BOOLEAN:
      gtasklet_tasklet_return_boolean (self, TRUE);
      break;
    case RETURN_STRING:
      gtasklet_tasklet_return_string (self, "done");
      break;
    case RETURN_OBJECT:
      gtasklet_tasklet_return_object (self, r->object);
      break;
    case RETURN_POINTER:
      gtasklet_tasklet_return_pointer (self, &r->first, payload_free);
      break;
    case RETURN_POINTER_TWICE:
      gtasklet_tasklet_return_pointer (self, &r->first, payload_free);
      gtasklet_tasklet_return_pointer (self, &r->second, payload_free);
      break;
    }
  return TRUE;
}

static GtaskletTasklet *
run_returner (Returner *r)
{
  GtaskletTasklet *t = gtasklet_tasklet_new (return_step, r, NULL);

  gtasklet_tasklet_start (t);
  g_assert_cmpint (gtasklet_tasklet_get_state (t), ==, GTASKLET_STATE_FINISHED);
  return t;
}

static void
test_return_values (void)
{
  Returner r = { RETURN_INT };
  g_autoptr (GObject) object = g_object_new (G_TYPE_OBJECT, NULL);
  GtaskletTasklet *t;
  const GValue *result;

  t = run_returner (&r);
  result = gtasklet_tasklet_get_result (t);
  g_assert_true (G_VALUE_HOLDS_INT (result));
  g_assert_cmpint (g_value_get_int (result), ==, -7);
  g_object_unref (t);

  r.kind = RETURN_BOOLEAN;
  t = run_returner (&r);
  g_assert_true (g_value_get_boolean (gtasklet_tasklet_get_result (t)));
  g_object_unref (t);

  r.kind = RETURN_STRING;
  t = run_returner (&r);
  g_assert_cmpstr (g_value_get_string (gtasklet_tasklet_get_result (t)), ==, "done");
  g_object_unref (t);

  r.kind = RETURN_OBJECT;
  r.object = object;
  t = run_returner (&r);
  result = gtasklet_tasklet_get_result (t);
  g_assert_true (G_VALUE_HOLDS (result, G_TYPE_OBJECT));
  g_assert_true (g_value_get_object (result) == object);
  /* The result holds its own reference. */
  g_assert_cmpuint (object->ref_count, ==, 2);
  g_object_unref (t);
  g_assert_cmpuint (object->ref_count, ==, 1);
}

static void
test_return_pointer (void)
{
  Returner r = { RETURN_POINTER };
  GtaskletTasklet *t = run_returner (&r);

  g_assert_true (gtasklet_tasklet_get_result_pointer (t) == &r.first);
  g_assert_cmpint (r.first.freed, ==, 0);
  g_object_unref (t);
  g_assert_cmpint (r.first.freed, ==, 1);

  /* A second result replaces the first, which is freed then. */
  r = (Returner) { RETURN_POINTER_TWICE };
  t = run_returner (&r);
  g_assert_cmpint (r.first.freed, ==, 1);
  g_assert_true (gtasklet_tasklet_get_result_pointer (t) == &r.second);
  g_object_unref (t);
  g_assert_cmpint (r.second.freed, ==, 1);

  /* No result: NULL, without complaint; another type: a critical. */
  t = gtasklet_tasklet_new (test_finish_at_once_step, NULL, NULL);
  gtasklet_tasklet_start (t);
  g_assert_null (gtasklet_tasklet_get_result_pointer (t));
  g_object_unref (t);

  r = (Returner) { RETURN_INT };
  t = run_returner (&r);
  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL,
                         "gtasklet_tasklet_get_result_pointer(): the result holds gint, not a "
                         "pointer*");
  g_assert_null (gtasklet_tasklet_get_result_pointer (t));
  g_test_assert_expected_messages ();
  g_object_unref (t);
}

/* Forwarding */

typedef struct
{
  GtaskletTasklet *next;
  gboolean         forward;    /* else send_message: the forwarder becomes the sender */
} Forwarder;

static gboolean
forward_step (GtaskletTasklet  *self,
              GObject          *event,
              gpointer          user_data,
              GError          **error)
{
  Forwarder *f = user_data;

  if (event == NULL)
    {
      gtasklet_tasklet_receive (self, TEST_NAMES ("job"), NULL, NULL);
      return TRUE;
    }
  if (f->forward)
    g_assert_true (gtasklet_tasklet_forward_message (f->next, GTASKLET_MESSAGE (event)));
  else
    g_assert_true (gtasklet_tasklet_send_message (f->next, GTASKLET_MESSAGE (event)));
  return TRUE;
}

typedef struct
{
  GtaskletTasklet *middle;
} Origin;

static gboolean
origin_step (GtaskletTasklet  *self,
             GObject          *event,
             gpointer          user_data,
             GError          **error)
{
  Origin *o = user_data;

  g_assert_true (gtasklet_tasklet_send_int (o->middle, "job", 5));
  return TRUE;
}

static void
check_forward (gboolean forward)
{
  Kept kept = { NULL };
  g_autoptr (GtaskletTasklet) last = gtasklet_tasklet_new (keep_one_step, &kept, NULL);
  Forwarder f = { last, forward };
  g_autoptr (GtaskletTasklet) middle = gtasklet_tasklet_new (forward_step, &f, NULL);
  Origin o = { middle };
  g_autoptr (GtaskletTasklet) origin = gtasklet_tasklet_new (origin_step, &o, NULL);

  gtasklet_tasklet_start (last);
  gtasklet_tasklet_start (middle);
  gtasklet_tasklet_start (origin);
  test_wait_finished (last, DEADLINE_MS);

  g_assert_cmpint (gtasklet_message_get_int (kept.message), ==, 5);
  g_assert_true (gtasklet_message_get_sender (kept.message) == (forward ? origin : middle));
  g_assert_true (gtasklet_message_get_dest (kept.message) == last);
  g_object_unref (kept.message);
}

static void
test_forward_keeps_sender (void)
{
  check_forward (TRUE);
  check_forward (FALSE);
}

/* Closure data */

static void
test_user_data (void)
{
  int data;
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (test_finish_at_once_step, &data, NULL);
  g_autoptr (GtaskletTasklet) plain = g_object_new (GTASKLET_TYPE_TASKLET, NULL);

  g_assert_true (gtasklet_tasklet_get_user_data (t) == &data);
  gtasklet_tasklet_start (t);
  g_assert_true (gtasklet_tasklet_get_user_data (t) == &data);
  g_assert_null (gtasklet_tasklet_get_user_data (plain));
}

/* Running to the end */

typedef struct
{
  GtaskletWaitCondition *timeout;
  guint                  ticks;
  gboolean               fail;
} Ticker;

static gboolean
ticker_step (GtaskletTasklet  *self,
             GObject          *event,
             gpointer          user_data,
             GError          **error)
{
  Ticker *t = user_data;

  if (event != NULL && ++t->ticks == 3)
    {
      if (t->fail)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "three ticks");
          return FALSE;
        }
      gtasklet_tasklet_return_int (self, (int) t->ticks);
      return TRUE;
    }
  gtasklet_tasklet_wait (self, t->timeout);
  return TRUE;
}

static void
test_run_until_finished (void)
{
  Ticker ticker = { gtasklet_wait_for_timeout_new (1) };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (ticker_step, &ticker, NULL);
  g_autoptr (GError) error = NULL;
  const GValue *result;

  result = gtasklet_tasklet_run_until_finished (t, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gtasklet_tasklet_get_state (t), ==, GTASKLET_STATE_FINISHED);
  g_assert_true (result == gtasklet_tasklet_get_result (t));
  g_assert_cmpint (g_value_get_int (result), ==, 3);

  /* Already finished: the same outcome at once. */
  g_assert_true (gtasklet_tasklet_run_until_finished (t, &error) == result);
  g_assert_no_error (error);
  g_object_unref (ticker.timeout);
}

static void
test_run_until_failed (void)
{
  Ticker ticker = { gtasklet_wait_for_timeout_new (1), 0, TRUE };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (ticker_step, &ticker, NULL);
  g_autoptr (GError) error = NULL;

  g_assert_null (gtasklet_tasklet_run_until_finished (t, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_cmpuint (ticker.ticks, ==, 3);
  g_object_unref (ticker.timeout);
}

static void
test_run_until_finished_on_pool (void)
{
  g_autoptr (GtaskletPool) pool = gtasklet_pool_new (1);
  Ticker ticker = { gtasklet_wait_for_timeout_new (1) };
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (ticker_step, &ticker, NULL);
  g_autoptr (GError) error = NULL;
  const GValue *result;

  gtasklet_pool_start (pool, t);
  result = gtasklet_tasklet_run_until_finished (t, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_value_get_int (result), ==, 3);
  g_object_unref (ticker.timeout);
}

static gboolean
nested_run_step (GtaskletTasklet  *self,
                 GObject          *event,
                 gpointer          user_data,
                 GError          **error)
{
  g_autoptr (GtaskletTasklet) other = gtasklet_tasklet_new (test_finish_at_once_step, NULL,
                                                            NULL);
  GError **inner_error = user_data;

  g_assert_null (gtasklet_tasklet_run_until_finished (other, inner_error));
  /* The other one was not even started. */
  g_assert_cmpint (gtasklet_tasklet_get_state (other), ==, GTASKLET_STATE_NEW);
  return TRUE;
}

static void
test_run_until_finished_in_step (void)
{
  g_autoptr (GError) inner_error = NULL;
  g_autoptr (GtaskletTasklet) t = gtasklet_tasklet_new (nested_run_step, &inner_error, NULL);

  g_test_expect_message ("Gtasklet", G_LOG_LEVEL_CRITICAL,
                         "gtasklet_tasklet_run_until_finished() called inside a step of "
                         "GtaskletTasklet *: a step must not iterate the main context; wait "
                         "with a GtaskletWaitForTasklet instead");
  gtasklet_tasklet_start (t);
  g_test_assert_expected_messages ();
  test_wait_finished (t, DEADLINE_MS);
  g_assert_error (inner_error, GTASKLET_ERROR, GTASKLET_ERROR_MISUSE);
  g_assert_error (gtasklet_tasklet_get_error (t), GTASKLET_ERROR, GTASKLET_ERROR_MISUSE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/gtasklet/shortcuts/send-int", test_send_int_read);
  g_test_add_func ("/gtasklet/shortcuts/send-string", test_send_string_read);
  g_test_add_func ("/gtasklet/shortcuts/send-variant", test_send_variant_read);
  g_test_add_func ("/gtasklet/shortcuts/read-wrong-type", test_read_wrong_type);
  g_test_add_func ("/gtasklet/shortcuts/pointer/freed-with-message",
                   test_pointer_freed_with_message);
  g_test_add_func ("/gtasklet/shortcuts/pointer/stolen", test_pointer_stolen);
  g_test_add_func ("/gtasklet/shortcuts/pointer/freed-unread", test_pointer_freed_unread);
  g_test_add_func ("/gtasklet/shortcuts/return-values", test_return_values);
  g_test_add_func ("/gtasklet/shortcuts/return-pointer", test_return_pointer);
  g_test_add_func ("/gtasklet/shortcuts/forward-keeps-sender", test_forward_keeps_sender);
  g_test_add_func ("/gtasklet/shortcuts/user-data", test_user_data);
  g_test_add_func ("/gtasklet/run-until-finished/result", test_run_until_finished);
  g_test_add_func ("/gtasklet/run-until-finished/error", test_run_until_failed);
  g_test_add_func ("/gtasklet/run-until-finished/on-pool", test_run_until_finished_on_pool);
  g_test_add_func ("/gtasklet/run-until-finished/in-step", test_run_until_finished_in_step);

  return g_test_run ();
}
