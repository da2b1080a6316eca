"""Portal: base layout, navigation, home dashboard, health check, language switch, demo set-up."""
