// Tests for DropdialStoreTests live beside this file.
