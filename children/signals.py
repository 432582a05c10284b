"""Signals the children app sends for what its bulk writes change.

The children import writes with bulk queries, which send no post_save: apps that
keep data derived from enrollments (the quarterly snapshot in reports) listen here.
"""

from django.dispatch import Signal

# Sent after an import has created or changed enrollments, with `child_ids` (the
# children whose enrollments changed) and `since` (the earliest day changed).
enrollments_changed = Signal()
