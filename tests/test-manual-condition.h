/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gtasklet/gtasklet.h>

G_BEGIN_DECLS

/* A condition fired by hand, counting its arms and disarms, so tests can check exactly when
 * the engine arms, keeps and disarms conditions. With fire_on_arm set it fires inside arm(),
 * as conditions whose event already happened do. */
#define TEST_TYPE_MANUAL_CONDITION (test_manual_condition_get_type ())
G_DECLARE_FINAL_TYPE (TestManualCondition, test_manual_condition, TEST, MANUAL_CONDITION,
                      GtaskletWaitCondition)

struct _TestManualCondition
{
  GtaskletWaitCondition parent_instance;
  guint                 n_arms;
  guint                 n_disarms;
  gboolean              armed;
  gboolean              fire_on_arm;
};

GtaskletWaitCondition *test_manual_condition_new (void);

G_END_DECLS
