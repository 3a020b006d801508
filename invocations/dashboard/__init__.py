"""The live dashboard: page views, staff-only JSON controls and the read models the diagram draws."""
