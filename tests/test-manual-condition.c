/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "test-manual-condition.h"

G_DEFINE_FINAL_TYPE (TestManualCondition, test_manual_condition, GTASKLET_TYPE_WAIT_CONDITION)

static void
test_manual_condition_arm (GtaskletWaitCondition *condition,
                           GtaskletTasklet       *tasklet)
{
  TestManualCondition *self = TEST_MANUAL_CONDITION (condition);

  g_assert_false (self->armed);
  g_assert_true (gtasklet_wait_condition_get_tasklet (condition) == tasklet);
  self->armed = TRUE;
  self->n_arms++;
  if (self->fire_on_arm)
    gtasklet_wait_condition_fire (condition);
}

static void
test_manual_condition_disarm (GtaskletWaitCondition *condition)
{
  TestManualCondition *self = TEST_MANUAL_CONDITION (condition);

  g_assert_true (self->armed);
  self->armed = FALSE;
  self->n_disarms++;
}

static void
test_manual_condition_class_init (TestManualConditionClass *klass)
{
  GtaskletWaitConditionClass *condition_class = GTASKLET_WAIT_CONDITION_CLASS (klass);

  condition_class->arm = test_manual_condition_arm;
  condition_class->disarm = test_manual_condition_disarm;
}

static void
test_manual_condition_init (TestManualCondition *self)
{
}

GtaskletWaitCondition *
test_manual_condition_new (void)
{
  return g_object_new (TEST_TYPE_MANUAL_CONDITION, NULL);
}
