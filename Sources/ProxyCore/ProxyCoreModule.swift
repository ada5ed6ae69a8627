// ProxyCore: see ARCHITECTURE.md §3 (data layer). Placeholder until the first real type lands.
enum ProxyCoreModule {}
