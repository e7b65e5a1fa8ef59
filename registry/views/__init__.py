"""HTML views of the register: `register` (browse, read, act) and `editing` (the guided form)."""
