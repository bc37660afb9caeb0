// Tests for DropdialReadersTests live beside this file.
