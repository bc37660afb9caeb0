// Tests for EndToEndTests live beside this file.
