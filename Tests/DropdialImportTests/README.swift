// Tests for DropdialImportTests live beside this file.
