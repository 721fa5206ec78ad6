/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Bank transaction (Savina "banking", the selective-receive variant): a teller creates A
 * accounts; on "start" it sends N "credit" orders (amount, destination) to pseudo-random
 * source accounts, always to a destination with a higher number, so waits never form a
 * cycle. A source account debits itself, sends "debit" to the destination and then accepts
 * nothing but the destination's "reply" (everything else stays queued, as Savina's stash),
 * after which it sends "reply" to the teller. After N replies the teller sends "stop" to
 * every account and finishes.
 *
 * Amounts are integers (thousandths of Savina's 1000 / (r + 1)) so that the check can replay
 * the transfers and compare every balance exactly. */

#include "savina.h"

#define INITIAL_BALANCE G_GINT64_CONSTANT (1000000000000)

static const char * const teller_accepts[] = { "start", "reply", NULL };
static const char * const account_accepts[] = { "credit", "debit", "stop", NULL };
static const char * const account_replied[] = { "reply", NULL };

static const char *I_START;
static const char *I_CREDIT;
static const char *I_DEBIT;
static const char *I_REPLY;

typedef struct
{
  GtaskletTasklet        *teller;
  GtaskletTasklet       **accounts;
  gint64                  balance;
} Account;

typedef struct
{
  Account                *accounts;
  GtaskletTasklet       **account_tasklets;
  SavinaRandom            random;
  int                     n_accounts;
  int                     n_transactions;
  int                     completed;
} Teller;

static guint64 msgs;

/* The transfer Savina's teller generates next (generateWork). */
static void
next_transfer (SavinaRandom *random,
               int           n_accounts,
               int          *src,
               int          *dest,
               gint64       *amount)
{
  int offset;

  *src = savina_random_next_int (random, (n_accounts / 10) * 8);
  offset = savina_random_next_int (random, n_accounts - *src);
  if (offset == 0)
    offset = 1;
  *dest = *src + offset;
  *amount = 1000000 / (savina_random_next_long (random) + 1);
}

static gboolean
account_step (GtaskletTasklet  *self,
              GObject          *event,
              gpointer          user_data,
              GError          **error)
{
  Account *a = user_data;

  if (event != NULL)
    {
      const char *name = savina_message_name (event);

      msgs++;
      if (name == I_CREDIT)
        {
          gint64 order = savina_message_int64 (event);
          gint64 amount = order & G_MAXUINT32;

          a->balance -= amount;
          a->teller = savina_message_sender (event);
          savina_send_int64 (a->accounts[order >> 32], "debit", amount);
          gtasklet_tasklet_receive (self, account_replied, NULL, NULL);
          return TRUE;
        }
      else if (name == I_DEBIT)
        {
          a->balance += savina_message_int64 (event);
          savina_send (savina_message_sender (event), "reply");
        }
      else if (name == I_REPLY)
        savina_send (a->teller, "reply");
      else
        {
          savina_live_done ();
          return TRUE;
        }
    }
  gtasklet_tasklet_receive (self, account_accepts, NULL, NULL);
  return TRUE;
}

static gboolean
teller_step (GtaskletTasklet  *self,
             GObject          *event,
             gpointer          user_data,
             GError          **error)
{
  Teller *t = user_data;

  if (event == NULL)
    {
      for (int i = 0; i < t->n_accounts; i++)
        {
          Account *a = &t->accounts[i];

          a->balance = INITIAL_BALANCE;
          a->accounts = t->account_tasklets;
          t->account_tasklets[i] = gtasklet_tasklet_new (account_step, a, NULL);
        }
      for (int i = 0; i < t->n_accounts; i++)
        gtasklet_tasklet_start (t->account_tasklets[i]);
    }
  else if (savina_message_name (event) == I_START)
    {
      for (int m = 0; m < t->n_transactions; m++)
        {
          int src, dest;
          gint64 amount;

          next_transfer (&t->random, t->n_accounts, &src, &dest, &amount);
          savina_send_int64 (t->account_tasklets[src], "credit", ((gint64) dest << 32) | amount);
        }
    }
  else if (++t->completed == t->n_transactions)
    {
      for (int i = 0; i < t->n_accounts; i++)
        savina_send (t->account_tasklets[i], "stop");
      savina_live_done ();
      return TRUE;
    }
  gtasklet_tasklet_receive (self, teller_accepts, NULL, NULL);
  return TRUE;
}

void
savina_banking (SavinaRun *run)
{
  Teller t = { NULL, };
  g_autoptr (GtaskletTasklet) teller = NULL;
  g_autofree gint64 *expected = NULL;
  SavinaRandom replay;

  t.n_accounts = savina_param (run, 'a');
  t.n_transactions = savina_param (run, 'n');
  if (t.n_accounts < 10)
    savina_check_failed (run, "need at least 10 accounts");
  t.accounts = g_new0 (Account, t.n_accounts);
  t.account_tasklets = g_new0 (GtaskletTasklet *, t.n_accounts);
  savina_random_init (&t.random, 123456);
  I_START = g_intern_static_string ("start");
  I_CREDIT = g_intern_static_string ("credit");
  I_DEBIT = g_intern_static_string ("debit");
  I_REPLY = g_intern_static_string ("reply");

  savina_timer_start (run);
  savina_live_add (1 + t.n_accounts);
  teller = gtasklet_tasklet_new (teller_step, &t, NULL);
  gtasklet_tasklet_start (teller);
  savina_send (teller, "start");
  savina_loop_run ();
  savina_timer_stop (run);

  savina_check_finished (run, teller);
  if (t.completed != t.n_transactions)
    savina_check_failed (run, "%d of %d transactions completed", t.completed,
                         t.n_transactions);
  expected = g_new (gint64, t.n_accounts);
  for (int i = 0; i < t.n_accounts; i++)
    expected[i] = INITIAL_BALANCE;
  savina_random_init (&replay, 123456);
  for (int m = 0; m < t.n_transactions; m++)
    {
      int src, dest;
      gint64 amount;

      next_transfer (&replay, t.n_accounts, &src, &dest, &amount);
      expected[src] -= amount;
      expected[dest] += amount;
    }
  for (int i = 0; i < t.n_accounts; i++)
    {
      Account *a = &t.accounts[i];

      savina_check_finished (run, t.account_tasklets[i]);
      if (a->balance != expected[i])
        savina_check_failed (run, "account %d has %" G_GINT64_FORMAT ", expected %"
                             G_GINT64_FORMAT, i, a->balance, expected[i]);
      g_clear_object (&t.account_tasklets[i]);
    }
  run->msgs = msgs + 1 + t.n_transactions;
  g_free (t.account_tasklets);
  g_free (t.accounts);
}
