// Package confyaml reads layered YAML config files into Go structs, with errors
// that name the file, the line and the key path.
//
// Files merge in order, key by key, the later file winning, as Backstage merges
// app-config.yaml with app-config.production.yaml. ${VAR} is replaced from the
// environment in the parts that are decoded, and nowhere else.
//
//	tree, err := confyaml.Parse("app-config.yaml", "app-config.production.yaml")
//	var c MyConfig
//	err = tree.Section("backend.cache").Decode(&c, os.LookupEnv)
//	loc := tree.Location("backend.cache.store") // app-config.yaml:3
package confyaml
