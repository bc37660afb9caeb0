// DropdialConfig
