import { crashTestsFor } from './onboardingCrashHarness';

// kill -9 at each checkpoint of step "authorize", then restart (see onboardingCrashHarness.ts).
crashTestsFor('authorize');
