"""The live dashboard: page views' JSON endpoints (staff-only controls, public reads), their forms and chart history."""
