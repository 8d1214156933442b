"""Beyond the Raid: accountability for anti-trafficking law-enforcement operations."""
