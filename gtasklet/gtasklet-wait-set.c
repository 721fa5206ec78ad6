/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "gtasklet-wait-set-private.h"

void
_gtasklet_wait_set_append (GtaskletWaitSet   *self,
                           GtaskletWaitEntry  entry)
{
  if (self->len == 0 && self->cap <= 1)
    {
      self->one = entry;
      self->cap = 1;
    }
  else
    {
      if (self->cap == 1)
        {
          GtaskletWaitEntry *many = g_new (GtaskletWaitEntry, 4);

          many[0] = self->one;
          self->many = many;
          self->cap = 4;
        }
      else if (self->len == self->cap)
        {
          self->cap *= 2;
          self->many = g_renew (GtaskletWaitEntry, self->many, self->cap);
        }
      self->many[self->len] = entry;
    }
  self->len++;
}

/* Frees the storage only: the caller has released the entries. */
void
_gtasklet_wait_set_free (GtaskletWaitSet *self)
{
  if (self->cap > 1)
    g_free (self->many);
  *self = (GtaskletWaitSet) { 0 };
}
