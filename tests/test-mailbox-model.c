/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A model-based test of the mailbox rules. Random sends (from sender tasklets and from the
 * main loop) go to a receiver whose steps wait on random sets of WaitForMessages; a plain C
 * model of the contract's rules predicts every delivered message and the mailbox depth, and
 * the library must agree after every step:
 *
 *  - FIFO; matching scans from the oldest message and stops at the first accepted one; the
 *    messages after it are untouched;
 *  - what the wait set discards on the way is dropped; a name no armed condition lists stays
 *    queued; deferred messages stay, in order;
 *  - within one condition a name in several lists counts as accept > defer > discard, and an
 *    explicit name beats the condition's "*";
 *  - across conditions, the first condition added that names the message explicitly decides;
 *    only when none does, the first condition added with a "*";
 *  - messages from one sender arrive in the order sent.
 *
 * A condition that the wait set discards is applied while the set is armed: when the set is
 * committed and when a message arrives (the model scans then). Kept conditions are always
 * added first and in their previous order, so "first condition added" means the same whether
 * it counts from this step's wait() calls or from the original arming.
 *
 * GTASKLET_TEST_SCALE scales the number of operations (10^6 at 1); GTASKLET_TEST_SEED repeats a
 * run. On a disagreement the test prints the last operations that led there. */
#include <string.h>

#include "test-manual-condition.h"
#include "test-thread-util.h"
#include "test-util.h"

#define N_SENDERS    3
#define N_LISTED     6      /* names conditions list: a .. f */
#define N_NAMES      8      /* plus x and y, which no condition lists by name */
#define MAX_CONDS    3
#define HISTORY      48
#define QUEUE_LIMIT  48     /* beyond this the receiver waits with discard = {"*"} */

static const char *names[N_NAMES] = { "a", "b", "c", "d", "e", "f", "x", "y" };

enum { NONE = -1, ACCEPT = GTASKLET_MESSAGE_ACCEPT, DEFER = GTASKLET_MESSAGE_DEFER,
       DISCARD = GTASKLET_MESSAGE_DISCARD };

typedef struct
{
  guint id;
  int   name;
  int   sender;      /* -1: the main loop */
} MMessage;

typedef struct
{
  GtaskletWaitCondition *condition;
  signed char            action[N_NAMES];   /* explicit, NONE if not listed */
  signed char            wildcard;          /* the "*" action, NONE if none */
  char                   text[120];
} MCond;

typedef struct
{
  GRand                 *rand;
  guint32                seed;
  guint64                n_ops;
  guint64                target;
  guint                  next_id;

  GtaskletTasklet       *receiver;
  GtaskletTasklet       *senders[N_SENDERS];
  GtaskletWaitCondition *go[N_SENDERS];      /* each sender's accept {"go"} */
  GtaskletWaitCondition *manual;
  GtaskletWaitCondition *long_timeout;
  GtaskletWaitCondition *short_timeout;      /* while the receiver waits on one */

  /* The model. */
  GArray                *queue;              /* of MMessage, oldest first */
  MCond                 *set[MAX_CONDS];     /* the armed WaitForMessages, in order added */
  guint                  n_set;
  gboolean               manual_in_set;
  gboolean               manual_fired;
  gboolean               expect_timeout;
  guint                  n_go_pending;
  guint                  n_steps;

  /* Statistics. */
  guint64                n_sent;
  guint64                n_received;
  guint64                n_discarded;
  guint                  max_depth;
  guint                  n_condition_events;

  char                   history[HISTORY][200];
  guint64                n_history;
} Model;

static Model *M;

static void G_GNUC_PRINTF (1, 2)
note (const char *format,
      ...)
{
  va_list args;

  va_start (args, format);
  g_vsnprintf (M->history[M->n_history % HISTORY], sizeof M->history[0], format, args);
  va_end (args);
  M->n_history++;
}

static const char *
sender_text (int sender)
{
  static const char *texts[] = { "main", "S0", "S1", "S2" };

  return texts[sender + 1];
}

static void
describe_set (GString *out)
{
  for (guint i = 0; i < M->n_set; i++)
    g_string_append_printf (out, " %s", M->set[i]->text);
  if (M->manual_in_set)
    g_string_append (out, " manual");
  if (M->short_timeout != NULL)
    g_string_append (out, " timeout(0)");
}

static void G_GNUC_PRINTF (1, 2) G_GNUC_NORETURN
model_fail (const char *format,
            ...)
{
  g_autoptr (GString) out = g_string_new (NULL);
  va_list args;
  guint64 first = M->n_history > HISTORY ? M->n_history - HISTORY : 0;

  va_start (args, format);
  g_string_append_vprintf (out, format, args);
  va_end (args);

  g_string_append_printf (out, "\nseed %u (GTASKLET_TEST_SEED=%u repeats it), after %" G_GUINT64_FORMAT
                          " operations; the last %" G_GUINT64_FORMAT ":\n",
                          M->seed, M->seed, M->n_ops, M->n_history - first);
  for (guint64 i = first; i < M->n_history; i++)
    g_string_append_printf (out, "  %s\n", M->history[i % HISTORY]);
  g_string_append (out, "model queue (oldest first):");
  for (guint i = 0; i < M->queue->len; i++)
    {
      MMessage *m = &g_array_index (M->queue, MMessage, i);

      g_string_append_printf (out, " #%u'%s'/%s", m->id, names[m->name], sender_text (m->sender));
    }
  g_string_append (out, "\nwait set:");
  describe_set (out);
  g_string_append_printf (out, "\nlibrary mailbox depth %u, model %u\n",
                          gtasklet_tasklet_get_n_pending_messages (M->receiver), M->queue->len);
  g_printerr ("%s", out->str);
  g_error ("the mailbox model and the library disagree (see above)");
}

/* The rules */

static int
model_resolve (int name)
{
  for (guint i = 0; i < M->n_set; i++)
    if (M->set[i]->action[name] != NONE)
      return M->set[i]->action[name];
  for (guint i = 0; i < M->n_set; i++)
    if (M->set[i]->wildcard != NONE)
      return M->set[i]->wildcard;
  return NONE;
}

static gboolean
model_accepts_some_name (void)
{
  for (int name = 0; name < N_NAMES; name++)
    if (model_resolve (name) == ACCEPT)
      return TRUE;
  return FALSE;
}

/* Scans from the oldest message, dropping discarded ones, up to the first accepted one;
 * returns its index or -1. */
static int
model_scan (void)
{
  guint i = 0;

  while (i < M->queue->len)
    {
      int action = model_resolve (g_array_index (M->queue, MMessage, i).name);

      if (action == ACCEPT)
        return (int) i;
      if (action == DISCARD)
        {
          g_array_remove_index (M->queue, i);
          M->n_discarded++;
          continue;
        }
      i++;
    }
  return -1;
}

/* Conditions */

static void
mcond_free (MCond *c)
{
  g_object_unref (c->condition);
  g_free (c);
}

static void
list_add (GPtrArray   *list,
          MCond       *c,
          int          action,
          const char  *name,
          int          index)
{
  g_ptr_array_add (list, (gpointer) name);
  if (index < 0)
    {
      if (c->wildcard == NONE || action < c->wildcard)
        c->wildcard = action;
    }
  else if (c->action[index] == NONE || action < c->action[index])
    {
      c->action[index] = action;
    }
}

/* The condition of the accept, defer and discard @lists, with the actions noted in @proto by
 * list_add(); frees the lists. */
static MCond *
mcond_new (GPtrArray   *lists[3],
           const MCond *proto)
{
  MCond *c = g_new0 (MCond, 1);
  static const char *letters = "ADX";
  GString *text = g_string_new (NULL);
  const char * const *strv[3];

  for (int a = 0; a < 3; a++)
    {
      /* An empty list is given as NULL or as an empty array, either way. */
      if (lists[a]->len == 0 && g_rand_boolean (M->rand))
        strv[a] = NULL;
      else
        {
          g_ptr_array_add (lists[a], NULL);
          strv[a] = (const char * const *) lists[a]->pdata;
        }
      if (lists[a]->len > 1)
        {
          g_string_append_printf (text, "%c{", letters[a]);
          for (guint k = 0; k + 1 < lists[a]->len; k++)
            g_string_append_printf (text, "%s%s", k ? "," : "", (char *) lists[a]->pdata[k]);
          g_string_append (text, "}");
        }
    }
  c->condition = gtasklet_wait_for_messages_new (strv[0], strv[1], strv[2]);
  g_snprintf (c->text, sizeof c->text, "[%p %s]", (void *) c->condition, text->str);
  g_string_free (text, TRUE);
  memcpy (c->action, proto->action, sizeof c->action);
  c->wildcard = proto->wildcard;
  for (int a = 0; a < 3; a++)
    g_ptr_array_free (lists[a], TRUE);
  return c;
}

static MCond *
mcond_new_random (void)
{
  GPtrArray *lists[3];
  MCond proto;

  memset (proto.action, NONE, sizeof proto.action);
  proto.wildcard = NONE;
  for (int a = 0; a < 3; a++)
    {
      guint n = g_rand_int_range (M->rand, 0, a == ACCEPT ? 4 : 3);

      lists[a] = g_ptr_array_new ();
      for (guint k = 0; k < n; k++)
        {
          int name = g_rand_int_range (M->rand, 0, N_LISTED);

          list_add (lists[a], &proto, a, names[name], name);
        }
      if (g_rand_int_range (M->rand, 0, 10) == 0)
        list_add (lists[a], &proto, a, "*", -1);
    }
  /* A condition that names nothing is a programmer error (it could never fire): give it a
   * name in one list. */
  if (lists[0]->len + lists[1]->len + lists[2]->len == 0)
    {
      int a = g_rand_int_range (M->rand, 0, 3);
      int name = g_rand_int_range (M->rand, 0, N_LISTED);

      list_add (lists[a], &proto, a, names[name], name);
    }
  return mcond_new (lists, &proto);
}

/* accept {one name}, discard {"*"}: drains the queue up to that name. */
static MCond *
mcond_new_draining (void)
{
  GPtrArray *lists[3];
  MCond proto;
  int name = g_rand_int_range (M->rand, 0, N_LISTED);

  memset (proto.action, NONE, sizeof proto.action);
  proto.wildcard = NONE;
  for (int a = 0; a < 3; a++)
    lists[a] = g_ptr_array_new ();
  list_add (lists[ACCEPT], &proto, ACCEPT, names[name], name);
  list_add (lists[DISCARD], &proto, DISCARD, "*", -1);
  return mcond_new (lists, &proto);
}

/* Receiver */

static void
check_depth (const char *where)
{
  guint depth = gtasklet_tasklet_get_n_pending_messages (M->receiver);

  if (depth != M->queue->len)
    model_fail ("%s: the mailbox holds %u messages, the model %u", where, depth, M->queue->len);
}

static void
check_message_event (GtaskletMessage *message)
{
  int expected = model_scan ();
  MMessage m;
  guint id = g_value_get_uint (gtasklet_message_get_value (message));
  GtaskletTasklet *sender = gtasklet_message_get_sender (message);

  if (expected < 0)
    model_fail ("the receiver got message #%u '%s', the model has none to deliver", id,
                gtasklet_message_get_name (message));
  m = g_array_index (M->queue, MMessage, expected);
  note ("R step %u: message #%u '%s' from %s", M->n_steps, id,
        gtasklet_message_get_name (message), sender_text (m.sender));
  if (id != m.id || strcmp (gtasklet_message_get_name (message), names[m.name]) != 0)
    model_fail ("the receiver got message #%u '%s', the model expected #%u '%s'", id,
                gtasklet_message_get_name (message), m.id, names[m.name]);
  if (sender != (m.sender < 0 ? NULL : M->senders[m.sender]))
    model_fail ("message #%u has the wrong sender", id);
  g_array_remove_index (M->queue, expected);
  M->n_received++;
}

static void
choose_wait_set (GtaskletTasklet *tasklet)
{
  MCond *old[MAX_CONDS];
  guint n_old = M->n_set;
  guint n_new, n_kept;
  int accepted;
  g_autoptr (GString) text = g_string_new (NULL);

  memcpy (old, M->set, sizeof old);
  M->n_set = 0;

  if (M->queue->len > QUEUE_LIMIT)
    {
      M->set[M->n_set++] = mcond_new_draining ();
    }
  else
    {
      /* Sometimes keep conditions of the last set: first, in their order. */
      if (g_rand_int_range (M->rand, 0, 10) < 3)
        for (guint i = 0; i < n_old; i++)
          if (g_rand_boolean (M->rand))
            M->set[M->n_set++] = g_steal_pointer (&old[i]);
      n_kept = M->n_set;
      n_new = g_rand_int_range (M->rand, M->n_set == 0 ? 1 : 0, MAX_CONDS - M->n_set + 1);
      /* A set that accepts no name would leave the receiver waiting for ever: draw again. */
      for (guint attempt = 0; ; attempt++)
        {
          for (guint i = 0; i < n_new; i++)
            M->set[M->n_set++] = mcond_new_random ();
          if (model_accepts_some_name () || attempt == 8)
            break;
          while (M->n_set > n_kept)
            mcond_free (M->set[--M->n_set]);
          n_new = MAX (n_new, 1);
        }
      if (!model_accepts_some_name ())
        {
          while (M->n_set > 0)
            mcond_free (M->set[--M->n_set]);
          M->set[M->n_set++] = mcond_new_draining ();
        }
    }
  for (guint i = 0; i < n_old; i++)
    if (old[i] != NULL)
      mcond_free (old[i]);

  for (guint i = 0; i < M->n_set; i++)
    gtasklet_tasklet_wait (tasklet, M->set[i]->condition);

  M->manual_in_set = g_rand_int_range (M->rand, 0, 8) == 0;
  if (M->manual_in_set)
    gtasklet_tasklet_wait (tasklet, M->manual);
  if (g_rand_int_range (M->rand, 0, 8) == 0)
    gtasklet_tasklet_wait (tasklet, M->long_timeout);

  /* The committed set scans the mailbox at once. */
  accepted = model_scan ();
  g_clear_object (&M->short_timeout);
  if (accepted < 0 && M->n_go_pending == 0 && g_rand_int_range (M->rand, 0, 16) == 0)
    {
      /* Nothing else can happen before it fires: no sender has anything to send and the
       * driver waits for this step. */
      M->short_timeout = gtasklet_wait_for_timeout_new (0);
      M->expect_timeout = TRUE;
      gtasklet_tasklet_wait (tasklet, M->short_timeout);
    }

  describe_set (text);
  note ("R waits:%s", text->str);
}

static gboolean
receiver_step (GtaskletTasklet  *tasklet,
               GObject          *event,
               gpointer          user_data,
               GError          **error)
{
  M->n_steps++;
  M->n_ops++;

  if (event == NULL)
    {
      note ("R step %u: first", M->n_steps);
    }
  else if (M->expect_timeout && event != (GObject *) M->short_timeout)
    {
      model_fail ("the receiver was woken by a %s while only its 0 ms timeout could fire",
                  G_OBJECT_TYPE_NAME (event));
    }
  else if (GTASKLET_IS_MESSAGE (event))
    {
      check_message_event (GTASKLET_MESSAGE (event));
      check_depth ("inside the step");
    }
  else if (event == (GObject *) M->manual)
    {
      note ("R step %u: manual condition", M->n_steps);
      if (!M->manual_fired || !M->manual_in_set)
        model_fail ("the receiver was woken by the manual condition, which did not fire");
      M->manual_fired = FALSE;
      M->n_condition_events++;
      if (model_scan () >= 0)
        model_fail ("the receiver was woken by a condition while a message was deliverable");
      check_depth ("inside a condition's step");
    }
  else if (M->short_timeout != NULL && event == (GObject *) M->short_timeout)
    {
      note ("R step %u: timeout", M->n_steps);
      g_assert_true (M->expect_timeout);
      M->expect_timeout = FALSE;
      M->n_condition_events++;
      if (model_scan () >= 0)
        model_fail ("the receiver was woken by a timeout while a message was deliverable");
      check_depth ("inside a timeout's step");
    }
  else
    {
      model_fail ("the receiver was woken by an unexpected %s", G_OBJECT_TYPE_NAME (event));
    }

  M->max_depth = MAX (M->max_depth, M->queue->len);
  choose_wait_set (tasklet);
  return TRUE;
}

/* Senders */

static void
send_to_receiver (int sender)
{
  MMessage m = { ++M->next_id, g_rand_int_range (M->rand, 0, N_NAMES), sender };
  GValue value = G_VALUE_INIT;

  note ("%s sends #%u '%s'", sender_text (sender), m.id, names[m.name]);
  g_value_init (&value, G_TYPE_UINT);
  g_value_set_uint (&value, m.id);
  g_array_append_val (M->queue, m);
  if (!gtasklet_tasklet_send (M->receiver, names[m.name], &value))
    model_fail ("send to the running receiver returned FALSE");
  /* The armed set looks at the new message at once (and stops before it if an earlier
   * message is accepted). */
  model_scan ();
  M->n_sent++;
  M->n_ops++;
}

static gboolean
sender_step (GtaskletTasklet  *tasklet,
             GObject          *event,
             gpointer          user_data,
             GError          **error)
{
  int sender = GPOINTER_TO_INT (user_data);

  if (event != NULL)
    {
      guint n = g_value_get_uint (gtasklet_message_get_value (GTASKLET_MESSAGE (event)));

      g_assert_cmpuint (M->n_go_pending, >, 0);
      M->n_go_pending--;
      for (guint i = 0; i < n; i++)
        send_to_receiver (sender);
    }
  gtasklet_tasklet_wait (tasklet, M->go[sender]);
  return TRUE;
}

/* Driver */

static void
drain_and_check (void)
{
  note ("drain");
  test_drain ();
  if (M->expect_timeout)
    {
      gint64 end = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;

      /* The 0 ms timeout fires at the next iteration that checks the time; a receiver woken
       * by it may wait on a new one. */
      while (M->expect_timeout && g_get_monotonic_time () < end)
        g_main_context_iteration (NULL, FALSE);
      if (M->expect_timeout)
        model_fail ("the receiver waits on a 0 ms timeout that has not woken it in 10 s");
      test_drain ();
    }
  M->n_ops++;
  g_assert_cmpuint (M->n_go_pending, ==, 0);
  if (gtasklet_tasklet_get_state (M->receiver) != GTASKLET_STATE_SUSPENDED)
    model_fail ("the receiver is not suspended after the loop ran dry");
  if (model_scan () >= 0)
    model_fail ("a deliverable message is still queued after the loop ran dry");
  check_depth ("after the loop ran dry");
}

static void
test_mailbox_model (void)
{
  Model model = { 0 };
  const char *seed_env = g_getenv ("GTASKLET_TEST_SEED");
  const char *go[] = { "go", NULL };
  gint64 start = g_get_monotonic_time ();

  M = &model;
  M->seed = seed_env != NULL ? (guint32) g_ascii_strtoull (seed_env, NULL, 10) : g_random_int ();
  g_test_message ("seed %u (set GTASKLET_TEST_SEED to repeat)", M->seed);
  M->rand = g_rand_new_with_seed (M->seed);
  M->target = test_scaled (1000000);
  M->queue = g_array_new (FALSE, FALSE, sizeof (MMessage));
  M->manual = test_manual_condition_new ();
  M->long_timeout = gtasklet_wait_for_timeout_new (3600 * 1000);

  for (int i = 0; i < N_SENDERS; i++)
    {
      M->go[i] = gtasklet_wait_for_messages_new (go, NULL, NULL);
      M->senders[i] = gtasklet_tasklet_new (sender_step, GINT_TO_POINTER (i), NULL);
      gtasklet_tasklet_start (M->senders[i]);
    }

  M->receiver = gtasklet_tasklet_new (receiver_step, NULL, NULL);
  gtasklet_tasklet_start (M->receiver);

  while (M->n_ops < M->target)
    {
      int op = g_rand_int_range (M->rand, 0, 100);

      /* Nothing may happen before the 0 ms timeout the receiver waits on has woken it. */
      if (M->expect_timeout)
        drain_and_check ();

      if (op < 45)
        {
          send_to_receiver (-1);
        }
      else if (op < 75)
        {
          int sender = g_rand_int_range (M->rand, 0, N_SENDERS);
          GValue value = G_VALUE_INIT;
          guint n = g_rand_int_range (M->rand, 1, 5);

          note ("go %s %u", sender_text (sender), n);
          g_value_init (&value, G_TYPE_UINT);
          g_value_set_uint (&value, n);
          M->n_go_pending++;
          g_assert_true (gtasklet_tasklet_send (M->senders[sender], "go", &value));
        }
      else if (op < 95)
        {
          drain_and_check ();
        }
      else
        {
          drain_and_check ();
          if (M->manual_in_set)
            {
              note ("fire manual");
              M->manual_fired = TRUE;
              gtasklet_wait_condition_fire (M->manual);
              drain_and_check ();
              if (M->manual_fired)
                model_fail ("the fired manual condition did not wake the receiver");
            }
        }
    }
  drain_and_check ();

  g_test_message ("%" G_GUINT64_FORMAT " operations in %.2f s: %" G_GUINT64_FORMAT " sent, %"
                  G_GUINT64_FORMAT " received, %" G_GUINT64_FORMAT " discarded, %u left queued, "
                  "deepest queue %u, %u receiver steps (%u woken by a timeout or the manual "
                  "condition)",
                  M->n_ops, (g_get_monotonic_time () - start) / 1e6, M->n_sent, M->n_received,
                  M->n_discarded, M->queue->len, M->max_depth, M->n_steps,
                  M->n_condition_events);
  g_assert_cmpuint (M->n_sent, ==, M->n_received + M->n_discarded + M->queue->len);

  for (int i = 0; i < N_SENDERS; i++)
    {
      gtasklet_tasklet_cancel (M->senders[i]);
      test_wait_finished (M->senders[i], 10000);
      g_object_unref (M->senders[i]);
      g_object_unref (M->go[i]);
    }
  gtasklet_tasklet_cancel (M->receiver);
  test_wait_finished (M->receiver, 10000);
  g_object_unref (M->receiver);

  for (guint i = 0; i < M->n_set; i++)
    mcond_free (M->set[i]);
  g_clear_object (&M->short_timeout);
  g_object_unref (M->manual);
  g_object_unref (M->long_timeout);
  g_array_unref (M->queue);
  g_rand_free (M->rand);
  M = NULL;
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/gtasklet/mailbox-model/random-operations", test_mailbox_model);

  return g_test_run ();
}
