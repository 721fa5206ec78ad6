/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "test-manual-condition.h"
#include "test-util.h"

G_BEGIN_DECLS

/* Helpers shared by test-mailbox.c and test-mailbox-delivery.c: a receiver tasklet that logs
 * the events of its steps. */

/* A receiver driven in phases. In phase i its steps wait on sets[i] (the last set for later
 * phases), plus two hand-fired conditions of its own: `next`, which moves it to the next phase,
 * and `stop`, which finishes it. Each event is appended to `log`: a message as its name
 * followed by its int value ("a1"), a condition as its label ("next"), and with log_pending
 * the number of messages still queued during that step ("a1(2)"). A message named
 * `advance_on` moves to the next phase too. */
#define MAX_PHASES 8
#define MAX_CONDS  4

typedef struct
{
  GtaskletWaitCondition *sets[MAX_PHASES][MAX_CONDS];
  guint                  n_sets;
  gboolean               log_pending;
  const char            *advance_on;      /* a message name that also moves to the next phase */

  GtaskletWaitCondition *next;
  GtaskletWaitCondition *stop;
  GPtrArray             *owned;
  GString               *log;
  guint                  phase;
  guint                  n_steps;
  GtaskletTasklet       *tasklet;
} Receiver;

/* Initialises @r and returns its tasklet, not yet started. */
GtaskletTasklet       *receiver_init     (Receiver              *r);

/* A WaitForMessages owned by the receiver, for its sets. */
GtaskletWaitCondition *receiver_messages (Receiver              *r,
                                          const char * const    *accept,
                                          const char * const    *defer,
                                          const char * const    *discard);

/* Moves the receiver to its next phase, and runs it. */
void                   receiver_next     (Receiver              *r);

/* Finishes the receiver and frees it. */
void                   receiver_clear    (Receiver              *r);

/* Sets the label that stands for @condition in a receiver's log; returns @condition. */
GtaskletWaitCondition *labelled          (GtaskletWaitCondition *condition,
                                          const char            *label);

G_END_DECLS
