import { crashTestsFor } from './onboardingCrashHarness';

// kill -9 at each checkpoint of step "certificate", then restart (see onboardingCrashHarness.ts).
crashTestsFor('certificate');
