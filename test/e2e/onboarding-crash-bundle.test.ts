import { crashTestsFor } from './onboardingCrashHarness';

// kill -9 at each checkpoint of step "bundle", then restart (see onboardingCrashHarness.ts).
crashTestsFor('bundle');
